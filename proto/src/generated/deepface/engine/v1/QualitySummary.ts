// Original file: deepface/engine/v1/engine.proto

export interface QualitySummary {
  face_px?: number;
  brightness?: number | string;
  sharpness?: number | string;
  glare?: number | string;
  issues?: string[];
}

export interface QualitySummary__Output {
  face_px: number;
  brightness: number;
  sharpness: number;
  glare: number;
  issues: string[];
}
