// Original file: deepface/engine/v1/engine.proto

import type {
  FacialArea as _deepface_engine_v1_FacialArea,
  FacialArea__Output as _deepface_engine_v1_FacialArea__Output,
} from '../../../deepface/engine/v1/FacialArea';
import type {
  AgeResult as _deepface_engine_v1_AgeResult,
  AgeResult__Output as _deepface_engine_v1_AgeResult__Output,
} from '../../../deepface/engine/v1/AgeResult';
import type {
  ClassResult as _deepface_engine_v1_ClassResult,
  ClassResult__Output as _deepface_engine_v1_ClassResult__Output,
} from '../../../deepface/engine/v1/ClassResult';

export interface FaceAnalysis {
  region?: _deepface_engine_v1_FacialArea | null;
  face_confidence?: number | string;
  age?: _deepface_engine_v1_AgeResult | null;
  gender?: _deepface_engine_v1_ClassResult | null;
  race?: _deepface_engine_v1_ClassResult | null;
  emotion?: _deepface_engine_v1_ClassResult | null;
}

export interface FaceAnalysis__Output {
  region: _deepface_engine_v1_FacialArea__Output | null;
  face_confidence: number;
  age: _deepface_engine_v1_AgeResult__Output | null;
  gender: _deepface_engine_v1_ClassResult__Output | null;
  race: _deepface_engine_v1_ClassResult__Output | null;
  emotion: _deepface_engine_v1_ClassResult__Output | null;
}
