// Original file: deepface/engine/v1/engine.proto

export interface VerifyRequest {
  img1?: Buffer | Uint8Array | string;
  img2?: Buffer | Uint8Array | string;
  threshold?: number | string;
  document_fields?: boolean;
  as_of?: string;
  _threshold?: 'threshold';
}

export interface VerifyRequest__Output {
  img1: Buffer;
  img2: Buffer;
  threshold?: number;
  document_fields: boolean;
  as_of: string;
  _threshold?: 'threshold';
}
