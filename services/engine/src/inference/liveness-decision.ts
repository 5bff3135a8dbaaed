// The answer's liveness from the presentation-attack networks' scores (inference/liveness.ts). Pure and free of
// tfjs: the pair decision runs on the main thread too.
//
// Which network: `pnpm eval liveness` (README "Liveness") measured human-models' `liveness` (32 px) as the only one
// that separates attacks from genuine photos at all (ROC AUC ~0.8 over document portraits, screen and print
// recaptures); `antispoof` (128 px) ranked attacks as more live than genuine photos (AUC < 0.5), and averaging it
// in made `liveness` worse. So Verify runs `liveness` alone, at the network's own decision point (its softmax's
// 0.5), not at a cut fitted to our few files: at it, most attacks pass (a weak signal, documented as such).
import type { LivenessResult } from '@deepface/proto';
import type { PresentationScores } from '../contract/liveness';

export const LIVENESS_MODEL = 'human-models liveness (32 px single-frame CNN)';
export const LIVENESS_THRESHOLD = 0.5;

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** The selfie's liveness: UNDECIDED when the network did not run on a face. */
export function livenessResult(scores: PresentationScores | undefined): LivenessResult {
  if (!scores || !Number.isFinite(scores.liveness))
    return { score: 0, decision: 'UNDECIDED', model: LIVENESS_MODEL, threshold: LIVENESS_THRESHOLD };
  const score = round4(scores.liveness);
  return {
    score,
    decision: score >= LIVENESS_THRESHOLD ? 'LIVE' : 'SPOOF',
    model: LIVENESS_MODEL,
    threshold: LIVENESS_THRESHOLD,
  };
}
