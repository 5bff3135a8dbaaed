// Original file: deepface/engine/v1/engine.proto

import type {
  Action as _deepface_engine_v1_Action,
  Action__Output as _deepface_engine_v1_Action__Output,
} from '../../../deepface/engine/v1/Action';

export interface AnalyzeRequest {
  image?: Buffer | Uint8Array | string;
  actions?: _deepface_engine_v1_Action[];
}

export interface AnalyzeRequest__Output {
  image: Buffer;
  actions: _deepface_engine_v1_Action__Output[];
}
