// What one image of a Verify or Compare yielded on its own: the inference layer builds it (in a worker), the
// scheduler carries it between threads, and the pair decision (inference/ops/pair.ts) reads two of them.
import type { FacialArea, Timings } from '@deepface/proto';
import type { BackendName } from './backend';
import type { MrzOutcome } from './document';
import type { TaskFailure } from './failure';
import type { PresentationScores } from './liveness';

/** The detector that found a face. */
export type DetectorName = 'tiny' | 'ssd';

export type PairRef = 'IMG1' | 'IMG2';

/** Where an image's examination stopped: Verify and Compare rank failures by stage first, then by image. */
export type EvidenceStage = 'decode' | 'detect' | 'describe';

/** One image of a Verify or Compare, examined on its own. Structured-cloned from a worker. */
export interface ImageEvidence {
  ref: PairRef;
  backend: BackendName;
  /** The check this image failed, if any (a client-visible failure, never a crash). */
  failure?: { stage: EvidenceStage; error: TaskFailure };
  /** Verify only, once a face was found. */
  roles?: {
    features: RoleFeatures;
    /**
     * Clear faces, counted only when the image may be the selfie: one showing document evidence is the selfie
     * of no pair (with another such image the pair is refused as two documents).
     */
    clearFaces?: number;
  };
  /** Verify only: the machine-readable zone, read where the image shows one (personal data: never logged). */
  document?: MrzOutcome;
  /** Verify, unless liveness is off: the presentation-attack networks on the main face of a possible selfie. */
  presentation?: PresentationScores;
  /**
   * Verify: the age network's estimate for the main face of a possible selfie (inference/age-consistency.ts judges
   * it against the document's age). Personal data: never logged.
   */
  estimatedAge?: number;
  /** The main face, once described. */
  face?: { area: FacialArea; detector: DetectorName; descriptor: Float32Array };
  /** The main face's quality measures (inference/quality.ts), once described; absent when the gate is off. */
  quality?: FaceMeasures;
  timings: Timings;
}

/** What document/roles.ts measured around an image's main face: the evidence of a document, or its absence. */
export interface RoleFeatures {
  faces: number;
  /** Main face height / image height. */
  faceRatio: number;
  /** Lines of print anywhere around the portrait. */
  textLines: number;
  /** Lines at the portrait's scale beside it or across the card below it (document fields). */
  fieldLines: number;
  /** The longest stack of left-aligned field lines. */
  column: number;

  /** A machine-readable zone at the portrait's scale below it. */
  mrz: boolean;
  /**
   * A card or page boundary of a document's proportions around the portrait; looked for only when there is no MRZ
   * and there are field lines for it to hold.
   */
  card: boolean;
  /** A second, much smaller face: the "ghost" portrait printed on many documents. */
  ghost: boolean;
  /**
   * The person under the face runs on out of the frame at the bottom (a photographed person, not a printed
   * portrait). Looked at only when fields would be the image's only document evidence.
   */
  personOutOfFrame?: boolean;
}

/** Native quality measures of a face (inference/quality.ts), before any limit: the pair decision judges them. */
export interface FaceMeasures {
  /** Face box height, pixels of the image as sent. */
  facePx: number;
  /** Distance between the eye centres, pixels of the image as sent (when the landmarks were located). */
  eyePx?: number;
  /** Mean luma of the inner face, 0–255. */
  brightness: number;
  /** Standard deviation of the inner face's luma. */
  contrast: number;
  /** Variance of the Laplacian of the face at a fixed scale. */
  laplacian: number;
  /** The Laplacian's variance relative to the luma's: sharpness independent of exposure. */
  sharpness: number;
  /** Share of clipped pixels on the inner face, 0..1. */
  glare: number;
  /** Head pose from the landmarks, degrees. */
  yaw?: number;
  pitch?: number;
  roll?: number;
}
