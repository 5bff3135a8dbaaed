// Original file: deepface/engine/v1/engine.proto

import type {
  LivenessMode as _deepface_engine_v1_LivenessMode,
  LivenessMode__Output as _deepface_engine_v1_LivenessMode__Output,
} from '../../../deepface/engine/v1/LivenessMode';
import type {
  QualityMode as _deepface_engine_v1_QualityMode,
  QualityMode__Output as _deepface_engine_v1_QualityMode__Output,
} from '../../../deepface/engine/v1/QualityMode';

export interface VerifyRequest {
  img1?: Buffer | Uint8Array | string;
  img2?: Buffer | Uint8Array | string;
  document_fields?: boolean;
  as_of?: string;
  liveness?: _deepface_engine_v1_LivenessMode;
  quality?: _deepface_engine_v1_QualityMode;
  threshold?: number | string;
  _threshold?: 'threshold';
}

export interface VerifyRequest__Output {
  img1: Buffer;
  img2: Buffer;
  document_fields: boolean;
  as_of: string;
  liveness: _deepface_engine_v1_LivenessMode__Output;
  quality: _deepface_engine_v1_QualityMode__Output;
  threshold?: number;
  _threshold?: 'threshold';
}
