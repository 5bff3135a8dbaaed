// Original file: deepface/engine/v1/engine.proto

export interface DetectRequest {
  image?: Buffer | Uint8Array | string;
  skip_landmarks?: boolean;
}

export interface DetectRequest__Output {
  image: Buffer;
  skip_landmarks: boolean;
}
