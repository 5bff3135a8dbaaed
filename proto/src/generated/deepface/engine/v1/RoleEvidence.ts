// Original file: deepface/engine/v1/engine.proto

import type {
  Role as _deepface_engine_v1_Role,
  Role__Output as _deepface_engine_v1_Role__Output,
} from '../../../deepface/engine/v1/Role';
import type {
  DocumentSignal as _deepface_engine_v1_DocumentSignal,
  DocumentSignal__Output as _deepface_engine_v1_DocumentSignal__Output,
} from '../../../deepface/engine/v1/DocumentSignal';

export interface RoleEvidence {
  role?: _deepface_engine_v1_Role;
  document_score?: number | string;
  text_lines?: number;
  mrz?: boolean;
  card_boundary?: boolean;
  face_ratio?: number | string;
  faces?: number;
  field_lines?: number;
  field_column?: number;
  signals?: _deepface_engine_v1_DocumentSignal[];
  person_out_of_frame?: boolean;
}

export interface RoleEvidence__Output {
  role: _deepface_engine_v1_Role__Output;
  document_score: number;
  text_lines: number;
  mrz: boolean;
  card_boundary: boolean;
  face_ratio: number;
  faces: number;
  field_lines: number;
  field_column: number;
  signals: _deepface_engine_v1_DocumentSignal__Output[];
  person_out_of_frame: boolean;
}
