import type { ModelInfo } from '@deepface/proto';
import type { BackendName } from '../contract/backend';
import { ENGINE_VERSION, MODEL_NAMES } from './about';
import type { DecodeLimits } from '../contract/image';
import type { Nets } from './backends/nets';

/** What every operation of a worker shares: its limits, the backend chosen at start and its networks. */
export interface EngineContext {
  limits: DecodeLimits;
  backend: BackendName;
  nets: Nets;
}

export function modelInfo(
  ctx: Pick<EngineContext, 'backend'>,
  detector: string = MODEL_NAMES.detector,
): ModelInfo {
  return {
    recognition_model: MODEL_NAMES.recognition,
    detector,
    backend: ctx.backend,
    engine_version: ENGINE_VERSION,
  };
}
