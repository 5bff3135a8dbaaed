// Presentation-attack signals as they cross threads: the request's option and one face's network outputs.

/** VerifyRequest.liveness: skip the networks, answer their result, or also refuse a spoof (LIVENESS_FAILED). */
export type LivenessOption = 'off' | 'report' | 'require';

/** The presentation-attack networks' outputs for one face, each a probability that the face is live. */
export interface PresentationScores {
  /** human-models antispoof: P(real face). */
  antispoof: number;
  /** human-models liveness: the softmax output human reports as the face's liveness. */
  liveness: number;
}
