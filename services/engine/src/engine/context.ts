import type { ModelInfo } from '@deepface/proto';
import type { DecodeLimits } from '../image/decode';
import type { BackendName } from './backend';
import { ENGINE_VERSION, MODEL_NAMES } from './about';

/** What every operation of a worker shares: its limits and the backend its models run on. */
export interface EngineContext {
  limits: DecodeLimits;
  backend: BackendName;
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
