// Original file: deepface/engine/v1/engine.proto

export const QualityMode = {
  QUALITY_MODE_UNSPECIFIED: 'QUALITY_MODE_UNSPECIFIED',
  QUALITY_REQUIRE: 'QUALITY_REQUIRE',
  QUALITY_REPORT: 'QUALITY_REPORT',
  QUALITY_OFF: 'QUALITY_OFF',
} as const;

export type QualityMode =
  'QUALITY_MODE_UNSPECIFIED' | 0 | 'QUALITY_REQUIRE' | 1 | 'QUALITY_REPORT' | 2 | 'QUALITY_OFF' | 3;

export type QualityMode__Output = (typeof QualityMode)[keyof typeof QualityMode];
