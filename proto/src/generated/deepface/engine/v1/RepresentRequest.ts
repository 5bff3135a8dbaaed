// Original file: deepface/engine/v1/engine.proto

export interface RepresentRequest {
  image?: Buffer | Uint8Array | string;
  all_faces?: boolean;
}

export interface RepresentRequest__Output {
  image: Buffer;
  all_faces: boolean;
}
