// Original file: deepface/engine/v1/engine.proto

import type {
  Reason as _deepface_engine_v1_Reason,
  Reason__Output as _deepface_engine_v1_Reason__Output,
} from '../../../deepface/engine/v1/Reason';
import type {
  ImageRef as _deepface_engine_v1_ImageRef,
  ImageRef__Output as _deepface_engine_v1_ImageRef__Output,
} from '../../../deepface/engine/v1/ImageRef';
import type {
  RoleEvidence as _deepface_engine_v1_RoleEvidence,
  RoleEvidence__Output as _deepface_engine_v1_RoleEvidence__Output,
} from '../../../deepface/engine/v1/RoleEvidence';

export interface ErrorDetail {
  reason?: _deepface_engine_v1_Reason;
  message?: string;
  image?: _deepface_engine_v1_ImageRef;
  retryable?: boolean;
  retry_after_ms?: number;
  img1_role?: _deepface_engine_v1_RoleEvidence | null;
  img2_role?: _deepface_engine_v1_RoleEvidence | null;
  quality_issues?: string[];
}

export interface ErrorDetail__Output {
  reason: _deepface_engine_v1_Reason__Output;
  message: string;
  image: _deepface_engine_v1_ImageRef__Output;
  retryable: boolean;
  retry_after_ms: number;
  img1_role: _deepface_engine_v1_RoleEvidence__Output | null;
  img2_role: _deepface_engine_v1_RoleEvidence__Output | null;
  quality_issues: string[];
}
