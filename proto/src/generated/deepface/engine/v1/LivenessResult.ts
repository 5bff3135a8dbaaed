// Original file: deepface/engine/v1/engine.proto

import type {
  LivenessDecision as _deepface_engine_v1_LivenessDecision,
  LivenessDecision__Output as _deepface_engine_v1_LivenessDecision__Output,
} from '../../../deepface/engine/v1/LivenessDecision';

export interface LivenessResult {
  score?: number | string;
  decision?: _deepface_engine_v1_LivenessDecision;
  model?: string;
  threshold?: number | string;
}

export interface LivenessResult__Output {
  score: number;
  decision: _deepface_engine_v1_LivenessDecision__Output;
  model: string;
  threshold: number;
}
