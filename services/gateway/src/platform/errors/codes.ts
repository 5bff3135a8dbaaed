// The words an error uses about an image. The closed list of error codes is the catalogue (errors/catalogue.ts).

/** The public fields that hold an image. */
export type ImageField = 'img1' | 'img2' | 'image';

/** The operations that take images: they decide what an image is called ("ID document" or "First image"). */
export type ImageOperation = 'verify' | 'lookalike' | 'analyze';

/** What was wrong with an image, for the hint's advice (the message already states it for developers). */
export type ImageCause =
  | 'no_face'
  | 'multiple_faces'
  | 'face_too_small'
  | 'unreadable'
  | 'unsupported_format'
  | 'too_large'
  | 'empty'
  | 'not_an_image_string'
  | 'download_failed'
  | 'not_a_sample';

/** Which image an error concerns and what was wrong with it: chooses the words of the hint (errors/hints.ts). */
export interface ImageProblem {
  field?: ImageField;
  cause?: ImageCause;
  operation?: ImageOperation;
  /** low_quality: what is wrong with the face (QUALITY_ISSUES), for the hint's advice. */
  issues?: readonly QualityIssue[];
}

/** What the engine's quality gate can find wrong with a face (its LOW_QUALITY message names them). */
export const QUALITY_ISSUES = ['too_small', 'blurry', 'too_dark', 'too_bright', 'glare', 'pose'] as const;
export type QualityIssue = (typeof QUALITY_ISSUES)[number];
