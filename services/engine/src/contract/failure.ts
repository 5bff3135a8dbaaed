import type { ImageRef__Output, Reason__Output, RoleEvidence } from '@deepface/proto';

/** Each image's role evidence behind a Verify refused on roles (two selfies, two documents, a crowded selfie). */
export interface RoleRefusal {
  img1: RoleEvidence;
  img2: RoleEvidence;
}

/** What a refusal carries besides its reason and message, so the caller can see why. */
export interface FailureDetails {
  /** Verify refusals decided on roles: each image's role evidence. */
  roles?: RoleRefusal;
  /** LOW_QUALITY: the face's issues by their stable names (FaceQuality.issues), for ErrorDetail.quality_issues. */
  qualityIssues?: readonly string[];
}

/** A client-visible failure decided by the engine (no face, two selfies, ...), never a crash. */
export interface TaskFailure extends FailureDetails {
  reason: Reason__Output;
  message: string;
  image?: ImageRef__Output;
}

/**
 * An outcome the caller must act on (no face, two selfies, unreadable image...). Thrown inside the engine,
 * turned into a TaskFailure at the worker boundary; anything else thrown is a bug (INTERNAL_ERROR).
 */
export class EngineFailure extends Error {
  constructor(
    readonly reason: Reason__Output,
    message: string,
    readonly image?: ImageRef__Output,
    readonly details: FailureDetails = {},
  ) {
    super(message);
    this.name = 'EngineFailure';
  }

  /** A failure a worker reported, to throw again (ops/pair.ts deciding from two images' evidence). */
  static from({ reason, message, image, ...details }: TaskFailure): EngineFailure {
    return new EngineFailure(reason, message, image, details);
  }

  /** The same failure attributed to one of the request's images. */
  about(image: ImageRef__Output): EngineFailure {
    return new EngineFailure(this.reason, this.message, image, this.details);
  }

  toTaskFailure(): TaskFailure {
    const { roles, qualityIssues } = this.details;
    return {
      reason: this.reason,
      message: this.message,
      ...(this.image ? { image: this.image } : {}),
      ...(roles ? { roles } : {}),
      ...(qualityIssues ? { qualityIssues } : {}),
    };
  }
}
