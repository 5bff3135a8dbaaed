// Original file: deepface/engine/v1/engine.proto

export interface ClassScore {
  label?: string;
  percent?: number | string;
}

export interface ClassScore__Output {
  label: string;
  percent: number;
}
