// Original file: deepface/engine/v1/engine.proto

import type {
  SimilarityLabel as _deepface_engine_v1_SimilarityLabel,
  SimilarityLabel__Output as _deepface_engine_v1_SimilarityLabel__Output,
} from '../../../deepface/engine/v1/SimilarityLabel';

export interface LabelCut {
  label?: _deepface_engine_v1_SimilarityLabel;
  min_similarity?: number | string;
}

export interface LabelCut__Output {
  label: _deepface_engine_v1_SimilarityLabel__Output;
  min_similarity: number;
}
