// Original file: deepface/engine/v1/engine.proto

export interface QualityScores {
  resolution?: number | string;
  sharpness?: number | string;
  exposure?: number | string;
  glare?: number | string;
  pose?: number | string;
}

export interface QualityScores__Output {
  resolution: number;
  sharpness: number;
  exposure: number;
  glare: number;
  pose: number;
}
