import type { ModelInfo } from '@deepface/proto';
import type { BackendName } from '../contract/backend';
import { ENGINE_VERSION, MODEL_NAMES } from './about';
import type { Models } from './models';
import type { DecodeLimits } from '../contract/image';

/** What every operation of a worker shares: its limits, the backend its models run on, and the tfjs models. */
export interface EngineContext {
  limits: DecodeLimits;
  backend: BackendName;
  models: Models;
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
