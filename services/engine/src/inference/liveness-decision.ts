// The answer's liveness from the presentation-attack networks' scores (inference/liveness.ts). Pure and free of
// tfjs: the pair decision runs on the main thread too. Which networks, and where the cut lies, are chosen in
// README "Liveness" from `pnpm eval liveness`.
import type { LivenessResult } from '@deepface/proto';
import type { PresentationScores } from '../contract/liveness';

export const LIVENESS_MODEL = 'human-models antispoof (128 px, single frame)';
/** The network's own decision point: its sigmoid's 0.5, not a cut fitted to our few files. */
export const LIVENESS_THRESHOLD = 0.5;

const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/** The selfie's liveness: UNDECIDED when the networks did not run on a face. */
export function livenessResult(scores: PresentationScores | undefined): LivenessResult {
  if (!scores || !Number.isFinite(scores.antispoof))
    return { score: 0, decision: 'UNDECIDED', model: LIVENESS_MODEL, threshold: LIVENESS_THRESHOLD };
  const score = round4(scores.antispoof);
  return {
    score,
    decision: score >= LIVENESS_THRESHOLD ? 'LIVE' : 'SPOOF',
    model: LIVENESS_MODEL,
    threshold: LIVENESS_THRESHOLD,
  };
}
