// Original file: deepface/engine/v1/engine.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  DOCUMENT: 'DOCUMENT',
  SELFIE: 'SELFIE',
} as const;

export type Role = 'ROLE_UNSPECIFIED' | 0 | 'DOCUMENT' | 1 | 'SELFIE' | 2;

export type Role__Output = (typeof Role)[keyof typeof Role];
