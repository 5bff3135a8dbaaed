// Original file: deepface/engine/v1/engine.proto

import type {
  QualityScores as _deepface_engine_v1_QualityScores,
  QualityScores__Output as _deepface_engine_v1_QualityScores__Output,
} from '../../../deepface/engine/v1/QualityScores';
import type {
  Role as _deepface_engine_v1_Role,
  Role__Output as _deepface_engine_v1_Role__Output,
} from '../../../deepface/engine/v1/Role';

export interface QualitySummary {
  face_px?: number;
  brightness?: number | string;
  sharpness?: number | string;
  glare?: number | string;
  issues?: string[];
  eye_distance_px?: number | string;
  yaw?: number | string;
  pitch?: number | string;
  roll?: number | string;
  scores?: _deepface_engine_v1_QualityScores | null;
  score?: number | string;
  judged_as?: _deepface_engine_v1_Role;
  acceptable?: boolean;
  sharpness_ratio?: number | string;
}

export interface QualitySummary__Output {
  face_px: number;
  brightness: number;
  sharpness: number;
  glare: number;
  issues: string[];
  eye_distance_px: number;
  yaw: number;
  pitch: number;
  roll: number;
  scores: _deepface_engine_v1_QualityScores__Output | null;
  score: number;
  judged_as: _deepface_engine_v1_Role__Output;
  acceptable: boolean;
  sharpness_ratio: number;
}
