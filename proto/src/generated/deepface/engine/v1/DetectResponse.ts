// Original file: deepface/engine/v1/engine.proto

import type {
  DetectedFace as _deepface_engine_v1_DetectedFace,
  DetectedFace__Output as _deepface_engine_v1_DetectedFace__Output,
} from '../../../deepface/engine/v1/DetectedFace';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from '../../../deepface/engine/v1/Timings';

export interface DetectResponse {
  faces?: _deepface_engine_v1_DetectedFace[];
  image_width?: number;
  image_height?: number;
  model?: _deepface_engine_v1_ModelInfo | null;
  timings?: _deepface_engine_v1_Timings | null;
}

export interface DetectResponse__Output {
  faces: _deepface_engine_v1_DetectedFace__Output[];
  image_width: number;
  image_height: number;
  model: _deepface_engine_v1_ModelInfo__Output | null;
  timings: _deepface_engine_v1_Timings__Output | null;
}
