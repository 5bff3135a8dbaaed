// Original file: deepface/engine/v1/engine.proto

export const Action = {
  ACTION_UNSPECIFIED: 'ACTION_UNSPECIFIED',
  AGE: 'AGE',
  GENDER: 'GENDER',
  RACE: 'RACE',
  EMOTION: 'EMOTION',
} as const;

export type Action = 'ACTION_UNSPECIFIED' | 0 | 'AGE' | 1 | 'GENDER' | 2 | 'RACE' | 3 | 'EMOTION' | 4;

export type Action__Output = (typeof Action)[keyof typeof Action];
