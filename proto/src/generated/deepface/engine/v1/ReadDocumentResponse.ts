// Original file: deepface/engine/v1/engine.proto

import type {
  DocumentData as _deepface_engine_v1_DocumentData,
  DocumentData__Output as _deepface_engine_v1_DocumentData__Output,
} from '../../../deepface/engine/v1/DocumentData';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from '../../../deepface/engine/v1/Timings';

export interface ReadDocumentResponse {
  document?: _deepface_engine_v1_DocumentData | null;
  model?: _deepface_engine_v1_ModelInfo | null;
  timings?: _deepface_engine_v1_Timings | null;
}

export interface ReadDocumentResponse__Output {
  document: _deepface_engine_v1_DocumentData__Output | null;
  model: _deepface_engine_v1_ModelInfo__Output | null;
  timings: _deepface_engine_v1_Timings__Output | null;
}
