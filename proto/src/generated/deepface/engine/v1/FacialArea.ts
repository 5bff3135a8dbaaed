// Original file: deepface/engine/v1/engine.proto

import type {
  Point as _deepface_engine_v1_Point,
  Point__Output as _deepface_engine_v1_Point__Output,
} from '../../../deepface/engine/v1/Point';

export interface FacialArea {
  x?: number;
  y?: number;
  w?: number;
  h?: number;
  left_eye?: _deepface_engine_v1_Point | null;
  right_eye?: _deepface_engine_v1_Point | null;
}

export interface FacialArea__Output {
  x: number;
  y: number;
  w: number;
  h: number;
  left_eye: _deepface_engine_v1_Point__Output | null;
  right_eye: _deepface_engine_v1_Point__Output | null;
}
