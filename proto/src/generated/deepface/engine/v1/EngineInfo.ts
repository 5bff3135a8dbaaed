// Original file: deepface/engine/v1/engine.proto

import type {
  ModelInfo as _deepface_engine_v1_ModelInfo,
  ModelInfo__Output as _deepface_engine_v1_ModelInfo__Output,
} from '../../../deepface/engine/v1/ModelInfo';
import type {
  LabelCut as _deepface_engine_v1_LabelCut,
  LabelCut__Output as _deepface_engine_v1_LabelCut__Output,
} from '../../../deepface/engine/v1/LabelCut';
import type { Long } from '@grpc/proto-loader';

export interface EngineInfo {
  model?: _deepface_engine_v1_ModelInfo | null;
  workers?: number;
  queue_capacity?: number;
  queue_depth?: number;
  threshold?: number | string;
  min_threshold?: number | string;
  max_threshold?: number | string;
  label_cuts?: _deepface_engine_v1_LabelCut[];
  max_image_bytes?: number | string | Long;
  max_image_pixels?: number | string | Long;
  ready?: boolean;
}

export interface EngineInfo__Output {
  model: _deepface_engine_v1_ModelInfo__Output | null;
  workers: number;
  queue_capacity: number;
  queue_depth: number;
  threshold: number;
  min_threshold: number;
  max_threshold: number;
  label_cuts: _deepface_engine_v1_LabelCut__Output[];
  max_image_bytes: number;
  max_image_pixels: number;
  ready: boolean;
}
