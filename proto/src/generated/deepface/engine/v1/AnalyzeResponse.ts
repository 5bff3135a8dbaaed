// Original file: deepface/engine/v1/engine.proto

import type {
  FaceAnalysis as _deepface_engine_v1_FaceAnalysis,
  FaceAnalysis__Output as _deepface_engine_v1_FaceAnalysis__Output,
} from '../../../deepface/engine/v1/FaceAnalysis';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from '../../../deepface/engine/v1/Timings';

export interface AnalyzeResponse {
  faces?: _deepface_engine_v1_FaceAnalysis[];
  model?: _deepface_engine_v1_ModelInfo | null;
  timings?: _deepface_engine_v1_Timings | null;
}

export interface AnalyzeResponse__Output {
  faces: _deepface_engine_v1_FaceAnalysis__Output[];
  model: _deepface_engine_v1_ModelInfo__Output | null;
  timings: _deepface_engine_v1_Timings__Output | null;
}
