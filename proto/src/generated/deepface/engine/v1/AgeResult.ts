// Original file: deepface/engine/v1/engine.proto

export interface AgeResult {
  age?: number | string;
  model?: string;
}

export interface AgeResult__Output {
  age: number;
  model: string;
}
