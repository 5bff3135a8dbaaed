// Original file: deepface/engine/v1/engine.proto

export const LivenessDecision = {
  LIVENESS_DECISION_UNSPECIFIED: 'LIVENESS_DECISION_UNSPECIFIED',
  LIVE: 'LIVE',
  SPOOF: 'SPOOF',
  UNDECIDED: 'UNDECIDED',
} as const;

export type LivenessDecision =
  'LIVENESS_DECISION_UNSPECIFIED' | 0 | 'LIVE' | 1 | 'SPOOF' | 2 | 'UNDECIDED' | 3;

export type LivenessDecision__Output = (typeof LivenessDecision)[keyof typeof LivenessDecision];
