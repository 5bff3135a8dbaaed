import type { ImageRef__Output, Reason__Output, RoleEvidence } from '@deepface/proto';

/** Each image's role evidence behind a Verify refused on roles (two selfies, two documents, a crowded selfie). */
export interface RoleRefusal {
  img1: RoleEvidence;
  img2: RoleEvidence;
}

/** A client-visible failure decided by the engine (no face, two selfies, ...), never a crash. */
export interface TaskFailure {
  reason: Reason__Output;
  message: string;
  image?: ImageRef__Output;
  roles?: RoleRefusal;
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
    /** Verify refusals decided on roles: each image's role evidence, so the caller can see why. */
    readonly roles?: RoleRefusal,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }

  /** A failure a worker reported, to throw again (ops/pair.ts deciding from two images' evidence). */
  static from(failure: TaskFailure): EngineFailure {
    return new EngineFailure(failure.reason, failure.message, failure.image, failure.roles);
  }

  /** The same failure attributed to one of the request's images. */
  about(image: ImageRef__Output): EngineFailure {
    return new EngineFailure(this.reason, this.message, image, this.roles);
  }

  toTaskFailure(): TaskFailure {
    return {
      reason: this.reason,
      message: this.message,
      ...(this.image ? { image: this.image } : {}),
      ...(this.roles ? { roles: this.roles } : {}),
    };
  }
}
