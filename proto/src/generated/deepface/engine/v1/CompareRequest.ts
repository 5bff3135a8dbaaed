// Original file: deepface/engine/v1/engine.proto

export interface CompareRequest {
  img1?: Buffer | Uint8Array | string;
  img2?: Buffer | Uint8Array | string;
}

export interface CompareRequest__Output {
  img1: Buffer;
  img2: Buffer;
}
