// Original file: deepface/engine/v1/engine.proto

export interface Timings {
  decode_ms?: number | string;
  detect_ms?: number | string;
  landmarks_ms?: number | string;
  descriptor_ms?: number | string;
  attributes_ms?: number | string;
  classify_ms?: number | string;
  queue_ms?: number | string;
  total_ms?: number | string;
  document_ms?: number | string;
  liveness_ms?: number | string;
  quality_ms?: number | string;
}

export interface Timings__Output {
  decode_ms: number;
  detect_ms: number;
  landmarks_ms: number;
  descriptor_ms: number;
  attributes_ms: number;
  classify_ms: number;
  queue_ms: number;
  total_ms: number;
  document_ms: number;
  liveness_ms: number;
  quality_ms: number;
}
