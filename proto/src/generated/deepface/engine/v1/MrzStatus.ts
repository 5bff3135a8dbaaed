// Original file: deepface/engine/v1/engine.proto

export const MrzStatus = {
  MRZ_STATUS_UNSPECIFIED: 'MRZ_STATUS_UNSPECIFIED',
  MRZ_ABSENT: 'MRZ_ABSENT',
  MRZ_TOO_SMALL: 'MRZ_TOO_SMALL',
  MRZ_UNREADABLE: 'MRZ_UNREADABLE',
  MRZ_READ: 'MRZ_READ',
} as const;

export type MrzStatus =
  | 'MRZ_STATUS_UNSPECIFIED'
  | 0
  | 'MRZ_ABSENT'
  | 1
  | 'MRZ_TOO_SMALL'
  | 2
  | 'MRZ_UNREADABLE'
  | 3
  | 'MRZ_READ'
  | 4;

export type MrzStatus__Output = (typeof MrzStatus)[keyof typeof MrzStatus];
