// Original file: deepface/engine/v1/engine.proto

export const ImageRef = {
  IMAGE_REF_UNSPECIFIED: 'IMAGE_REF_UNSPECIFIED',
  IMG1: 'IMG1',
  IMG2: 'IMG2',
} as const;

export type ImageRef = 'IMAGE_REF_UNSPECIFIED' | 0 | 'IMG1' | 1 | 'IMG2' | 2;

export type ImageRef__Output = (typeof ImageRef)[keyof typeof ImageRef];
