// Every pair of a set of images decided as Verify decides it, from one examination per image (the way a worker
// examines one image of a split Verify): hundreds of pairs for the cost of a few dozen images.
import { evidenceAs, verifyPair } from '../../src/inference/ops/pair';
import { EngineFailure } from '../../src/contract/failure';
import { testEngine } from './engine';
import type { ImageEvidence } from '../../src/contract/evidence';

/** One image examined for Verify (decode, faces, role evidence, the main face's descriptor and quality). */
export async function examine(bytes: Uint8Array): Promise<ImageEvidence> {
  const engine = await testEngine();
  const out = await engine.run({ op: 'evidence', image: bytes, ref: 'IMG1', roles: true, quality: true });
  if (!out.ok) throw new Error(`evidence refused: ${out.error.reason}`);
  return out.value;
}

/** What Verify answers for img1 = a, img2 = b: `verified`, `not_verified` or the refusal's reason. */
export function verdict(a: ImageEvidence, b: ImageEvidence): string {
  try {
    return verifyPair(evidenceAs(a, 'IMG1'), evidenceAs(b, 'IMG2')).verified ? 'verified' : 'not_verified';
  } catch (error) {
    if (error instanceof EngineFailure) return error.reason;
    throw error;
  }
}
