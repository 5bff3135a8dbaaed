// Original file: deepface/engine/v1/engine.proto

export const SimilarityLabel = {
  SIMILARITY_LABEL_UNSPECIFIED: 'SIMILARITY_LABEL_UNSPECIFIED',
  LOW: 'LOW',
  MEDIUM: 'MEDIUM',
  HIGH: 'HIGH',
  VERY_HIGH: 'VERY_HIGH',
} as const;

export type SimilarityLabel =
  'SIMILARITY_LABEL_UNSPECIFIED' | 0 | 'LOW' | 1 | 'MEDIUM' | 2 | 'HIGH' | 3 | 'VERY_HIGH' | 4;

export type SimilarityLabel__Output = (typeof SimilarityLabel)[keyof typeof SimilarityLabel];
