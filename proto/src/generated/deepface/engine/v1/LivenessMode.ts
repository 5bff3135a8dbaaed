// Original file: deepface/engine/v1/engine.proto

export const LivenessMode = {
  LIVENESS_MODE_UNSPECIFIED: 'LIVENESS_MODE_UNSPECIFIED',
  LIVENESS_OFF: 'LIVENESS_OFF',
  LIVENESS_REPORT: 'LIVENESS_REPORT',
  LIVENESS_REQUIRE: 'LIVENESS_REQUIRE',
} as const;

export type LivenessMode =
  'LIVENESS_MODE_UNSPECIFIED' | 0 | 'LIVENESS_OFF' | 1 | 'LIVENESS_REPORT' | 2 | 'LIVENESS_REQUIRE' | 3;

export type LivenessMode__Output = (typeof LivenessMode)[keyof typeof LivenessMode];
