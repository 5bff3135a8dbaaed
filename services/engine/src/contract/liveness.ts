// Presentation-attack signals as they cross threads: the request's option and one face's network outputs.

/** VerifyRequest.liveness: skip the networks, answer their result, or also refuse a spoof (LIVENESS_FAILED). */
export type LivenessOption = 'off' | 'report' | 'require';

/**
 * Which networks run: Verify runs `liveness` alone (the one that separates attacks at all, `pnpm eval liveness`);
 * evaluation runs both to keep the comparison measurable.
 */
export type PresentationNetworks = 'liveness' | 'both';

/** The presentation-attack networks' outputs for one face, each a probability that the face is live. */
export interface PresentationScores {
  /** human-models liveness: the softmax output human reports as the face's liveness. */
  liveness: number;
  /** human-models antispoof: P(real face), when it ran. */
  antispoof?: number;
}
