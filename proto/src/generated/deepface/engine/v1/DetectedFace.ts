// Original file: deepface/engine/v1/engine.proto

import type {
  FacialArea as _deepface_engine_v1_FacialArea,
  FacialArea__Output as _deepface_engine_v1_FacialArea__Output,
} from '../../../deepface/engine/v1/FacialArea';
import type {
  Point as _deepface_engine_v1_Point,
  Point__Output as _deepface_engine_v1_Point__Output,
} from '../../../deepface/engine/v1/Point';
import type {
  QualitySummary as _deepface_engine_v1_QualitySummary,
  QualitySummary__Output as _deepface_engine_v1_QualitySummary__Output,
} from '../../../deepface/engine/v1/QualitySummary';

export interface DetectedFace {
  area?: _deepface_engine_v1_FacialArea | null;
  score?: number | string;
  landmarks?: _deepface_engine_v1_Point[];
  quality?: _deepface_engine_v1_QualitySummary | null;
}

export interface DetectedFace__Output {
  area: _deepface_engine_v1_FacialArea__Output | null;
  score: number;
  landmarks: _deepface_engine_v1_Point__Output[];
  quality: _deepface_engine_v1_QualitySummary__Output | null;
}
