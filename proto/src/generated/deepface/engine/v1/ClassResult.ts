// Original file: deepface/engine/v1/engine.proto

import type {
  ClassScore as _deepface_engine_v1_ClassScore,
  ClassScore__Output as _deepface_engine_v1_ClassScore__Output,
} from '../../../deepface/engine/v1/ClassScore';

export interface ClassResult {
  dominant?: string;
  scores?: _deepface_engine_v1_ClassScore[];
  model?: string;
}

export interface ClassResult__Output {
  dominant: string;
  scores: _deepface_engine_v1_ClassScore__Output[];
  model: string;
}
