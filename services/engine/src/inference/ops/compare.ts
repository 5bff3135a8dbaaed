import type { CompareResponse } from '@deepface/proto';
import type { EngineContext } from '../context';
import { pairEvidence } from './evidence';
import { comparePair, evidenceNeeds, withTotal } from './pair';

/** Look-alike of both images in this worker (ops/pair.ts decides; src/scheduler/split.ts runs it on two). */
export async function compare(
  ctx: EngineContext,
  input: { img1: Uint8Array; img2: Uint8Array },
): Promise<CompareResponse> {
  const started = performance.now();
  const needs = evidenceNeeds({ op: 'compare', ...input });
  const [e1, e2] = await pairEvidence(ctx, [
    { image: input.img1, ref: 'IMG1', ...needs },
    { image: input.img2, ref: 'IMG2', ...needs },
  ]);
  return withTotal(comparePair(e1, e2), performance.now() - started);
}
