// Original file: deepface/engine/v1/engine.proto

import type {
  Representation as _deepface_engine_v1_Representation,
  Representation__Output as _deepface_engine_v1_Representation__Output,
} from '../../../deepface/engine/v1/Representation';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from '../../../deepface/engine/v1/Timings';

export interface RepresentResponse {
  faces?: _deepface_engine_v1_Representation[];
  model?: _deepface_engine_v1_ModelInfo | null;
  timings?: _deepface_engine_v1_Timings | null;
}

export interface RepresentResponse__Output {
  faces: _deepface_engine_v1_Representation__Output[];
  model: _deepface_engine_v1_ModelInfo__Output | null;
  timings: _deepface_engine_v1_Timings__Output | null;
}
