// Original file: deepface/engine/v1/engine.proto

import type {
  FacialArea as _deepface_engine_v1_FacialArea,
  FacialArea__Output as _deepface_engine_v1_FacialArea__Output,
} from '../../../deepface/engine/v1/FacialArea';

export interface Representation {
  area?: _deepface_engine_v1_FacialArea | null;
  score?: number | string;
  embedding?: (number | string)[];
}

export interface Representation__Output {
  area: _deepface_engine_v1_FacialArea__Output | null;
  score: number;
  embedding: number[];
}
