// Original file: deepface/engine/v1/engine.proto

export interface Point {
  x?: number | string;
  y?: number | string;
}

export interface Point__Output {
  x: number;
  y: number;
}
