// Original file: deepface/engine/v1/engine.proto

export interface ReadDocumentRequest {
  image?: Buffer | Uint8Array | string;
  document_fields?: boolean;
  as_of?: string;
}

export interface ReadDocumentRequest__Output {
  image: Buffer;
  document_fields: boolean;
  as_of: string;
}
