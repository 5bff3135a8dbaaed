// Original file: deepface/engine/v1/engine.proto

import type {
  MrzStatus as _deepface_engine_v1_MrzStatus,
  MrzStatus__Output as _deepface_engine_v1_MrzStatus__Output,
} from '../../../deepface/engine/v1/MrzStatus';
import type {
  DocumentFields as _deepface_engine_v1_DocumentFields,
  DocumentFields__Output as _deepface_engine_v1_DocumentFields__Output,
} from '../../../deepface/engine/v1/DocumentFields';
import type {
  AgeCheck as _deepface_engine_v1_AgeCheck,
  AgeCheck__Output as _deepface_engine_v1_AgeCheck__Output,
} from '../../../deepface/engine/v1/AgeCheck';

export interface DocumentData {
  mrz?: _deepface_engine_v1_MrzStatus;
  format?: string;
  document_type?: string;
  issuing_country?: string;
  nationality?: string;
  check_digits_valid?: boolean;
  invalid_fields?: string[];
  expired?: boolean;
  age?: number;
  fields?: _deepface_engine_v1_DocumentFields | null;
  age_check?: _deepface_engine_v1_AgeCheck | null;
  _expired?: 'expired';
  _age?: 'age';
}

export interface DocumentData__Output {
  mrz: _deepface_engine_v1_MrzStatus__Output;
  format: string;
  document_type: string;
  issuing_country: string;
  nationality: string;
  check_digits_valid: boolean;
  invalid_fields: string[];
  expired?: boolean;
  age?: number;
  fields: _deepface_engine_v1_DocumentFields__Output | null;
  age_check: _deepface_engine_v1_AgeCheck__Output | null;
  _expired?: 'expired';
  _age?: 'age';
}
