import type { CompareResponse } from '@deepface/proto';
import type { EngineContext } from '../context';
import { pairEvidence } from './evidence';
import { comparePair, withTotal } from './pair';

/** Look-alike of both images in this worker (ops/pair.ts decides; src/scheduler/split.ts runs it on two). */
export async function compare(
  ctx: EngineContext,
  input: { img1: Uint8Array; img2: Uint8Array },
): Promise<CompareResponse> {
  const started = performance.now();
  const [e1, e2] = await pairEvidence(ctx, [
    { image: input.img1, ref: 'IMG1', roles: false },
    { image: input.img2, ref: 'IMG2', roles: false },
  ]);
  return withTotal(comparePair(e1, e2), performance.now() - started);
}
