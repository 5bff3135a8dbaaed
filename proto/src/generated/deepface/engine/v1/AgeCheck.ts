// Original file: deepface/engine/v1/engine.proto

export interface AgeCheck {
  estimated_age?: number;
  margin?: number;
  consistent?: boolean;
}

export interface AgeCheck__Output {
  estimated_age: number;
  margin: number;
  consistent: boolean;
}
