// Original file: deepface/engine/v1/engine.proto

export const Decision = {
  DECISION_UNSPECIFIED: 'DECISION_UNSPECIFIED',
  PASSED: 'PASSED',
  FAILED: 'FAILED',
} as const;

export type Decision = 'DECISION_UNSPECIFIED' | 0 | 'PASSED' | 1 | 'FAILED' | 2;

export type Decision__Output = (typeof Decision)[keyof typeof Decision];
