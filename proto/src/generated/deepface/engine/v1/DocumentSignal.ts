// Original file: deepface/engine/v1/engine.proto

export const DocumentSignal = {
  DOCUMENT_SIGNAL_UNSPECIFIED: 'DOCUMENT_SIGNAL_UNSPECIFIED',
  SIGNAL_MRZ: 'SIGNAL_MRZ',
  SIGNAL_FIELDS: 'SIGNAL_FIELDS',
  SIGNAL_CARD: 'SIGNAL_CARD',
} as const;

export type DocumentSignal =
  'DOCUMENT_SIGNAL_UNSPECIFIED' | 0 | 'SIGNAL_MRZ' | 1 | 'SIGNAL_FIELDS' | 2 | 'SIGNAL_CARD' | 3;

export type DocumentSignal__Output = (typeof DocumentSignal)[keyof typeof DocumentSignal];
