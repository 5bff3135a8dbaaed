// Original file: deepface/engine/v1/engine.proto

import type {
  SimilarityLabel as _deepface_engine_v1_SimilarityLabel,
  SimilarityLabel__Output as _deepface_engine_v1_SimilarityLabel__Output,
} from '../../../deepface/engine/v1/SimilarityLabel';
import type {
  FacialArea as _deepface_engine_v1_FacialArea,
  FacialArea__Output as _deepface_engine_v1_FacialArea__Output,
} from '../../../deepface/engine/v1/FacialArea';
import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  Timings as _deepface_engine_v1_Timings,
  Timings__Output as _deepface_engine_v1_Timings__Output,
} from '../../../deepface/engine/v1/Timings';

export interface CompareResponse {
  distance?: number | string;
  similarity?: number | string;
  label?: _deepface_engine_v1_SimilarityLabel;
  same_person?: boolean;
  threshold?: number | string;
  img1_area?: _deepface_engine_v1_FacialArea | null;
  img2_area?: _deepface_engine_v1_FacialArea | null;
  model?: _deepface_engine_v1_ModelInfo | null;
  timings?: _deepface_engine_v1_Timings | null;
}

export interface CompareResponse__Output {
  distance: number;
  similarity: number;
  label: _deepface_engine_v1_SimilarityLabel__Output;
  same_person: boolean;
  threshold: number;
  img1_area: _deepface_engine_v1_FacialArea__Output | null;
  img2_area: _deepface_engine_v1_FacialArea__Output | null;
  model: _deepface_engine_v1_ModelInfo__Output | null;
  timings: _deepface_engine_v1_Timings__Output | null;
}
