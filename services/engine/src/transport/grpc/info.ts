// GetInfo: answered on the main thread from the configuration, the pool's figures and the workers' warm-up.
import type { EngineInfo } from '@deepface/proto';
import type { EngineConfig } from '../../config';
import { ENGINE_VERSION } from '../../inference/about';
import type { PoolReady, PoolStats } from '../../scheduler/types';
import { DEFAULT_THRESHOLD, LABEL_CUTS, MAX_THRESHOLD, MIN_THRESHOLD, MODEL_NAMES } from './limits';

export function engineInfo(
  config: Pick<EngineConfig, 'maxImageBytes' | 'maxImagePixels'>,
  stats: PoolStats,
  ready: PoolReady | undefined,
  serving: boolean,
): EngineInfo {
  return {
    model: { ...MODEL_NAMES, backend: ready?.backend ?? '', engine_version: ENGINE_VERSION },
    workers: stats.workers,
    queue_capacity: stats.queueCapacity,
    queue_depth: stats.queueDepth,
    threshold: DEFAULT_THRESHOLD,
    min_threshold: MIN_THRESHOLD,
    max_threshold: MAX_THRESHOLD,
    label_cuts: [...LABEL_CUTS],
    max_image_bytes: config.maxImageBytes,
    max_image_pixels: config.maxImagePixels,
    ready: serving,
  };
}
