// Original file: deepface/engine/v1/engine.proto

export interface ModelInfo {
  recognition_model?: string;
  detector?: string;
  backend?: string;
  engine_version?: string;
}

export interface ModelInfo__Output {
  recognition_model: string;
  detector: string;
  backend: string;
  engine_version: string;
}
