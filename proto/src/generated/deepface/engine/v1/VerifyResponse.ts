// Original file: deepface/engine/v1/engine.proto

import type {
  Decision as _deepface_engine_v1_Decision,
  Decision__Output as _deepface_engine_v1_Decision__Output,
} from '../../../deepface/engine/v1/Decision';
import type {
  FacialArea as _deepface_engine_v1_FacialArea,
  FacialArea__Output as _deepface_engine_v1_FacialArea__Output,
} from '../../../deepface/engine/v1/FacialArea';
import type {
  RoleEvidence as _deepface_engine_v1_RoleEvidence,
  RoleEvidence__Output as _deepface_engine_v1_RoleEvidence__Output,
} from '../../../deepface/engine/v1/RoleEvidence';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from '../../../deepface/engine/v1/Timings';
import type {
  DocumentData as _deepface_engine_v1_DocumentData,
  DocumentData__Output as _deepface_engine_v1_DocumentData__Output,
} from '../../../deepface/engine/v1/DocumentData';
import type {
  LivenessResult as _deepface_engine_v1_LivenessResult,
  LivenessResult__Output as _deepface_engine_v1_LivenessResult__Output,
} from '../../../deepface/engine/v1/LivenessResult';
import type {
  QualitySummary as _deepface_engine_v1_QualitySummary,
  QualitySummary__Output as _deepface_engine_v1_QualitySummary__Output,
} from '../../../deepface/engine/v1/QualitySummary';

export interface VerifyResponse {
  verified?: boolean;
  decision?: _deepface_engine_v1_Decision;
  distance?: number | string;
  threshold?: number | string;
  confidence?: number | string;
  img1_area?: _deepface_engine_v1_FacialArea | null;
  img2_area?: _deepface_engine_v1_FacialArea | null;
  img1_role?: _deepface_engine_v1_RoleEvidence | null;
  img2_role?: _deepface_engine_v1_RoleEvidence | null;
  roles_swapped?: boolean;
  model?: _deepface_engine_v1_ModelInfo | null;
  timings?: _deepface_engine_v1_Timings | null;
  document?: _deepface_engine_v1_DocumentData | null;
  liveness?: _deepface_engine_v1_LivenessResult | null;
  img1_quality?: _deepface_engine_v1_QualitySummary | null;
  img2_quality?: _deepface_engine_v1_QualitySummary | null;
}

export interface VerifyResponse__Output {
  verified: boolean;
  decision: _deepface_engine_v1_Decision__Output;
  distance: number;
  threshold: number;
  confidence: number;
  img1_area: _deepface_engine_v1_FacialArea__Output | null;
  img2_area: _deepface_engine_v1_FacialArea__Output | null;
  img1_role: _deepface_engine_v1_RoleEvidence__Output | null;
  img2_role: _deepface_engine_v1_RoleEvidence__Output | null;
  roles_swapped: boolean;
  model: _deepface_engine_v1_ModelInfo__Output | null;
  timings: _deepface_engine_v1_Timings__Output | null;
  document: _deepface_engine_v1_DocumentData__Output | null;
  liveness: _deepface_engine_v1_LivenessResult__Output | null;
  img1_quality: _deepface_engine_v1_QualitySummary__Output | null;
  img2_quality: _deepface_engine_v1_QualitySummary__Output | null;
}
