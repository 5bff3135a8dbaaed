/**
 * Every `code` an AppError can carry: the closed list the public `result` values come from. Adding an error class
 * means adding its code here, and then the compiler (and errors/hints.test.ts) asks for its hint.
 */
export const ERROR_CODES = [
  // 400: the request or its images
  'invalid_input',
  'invalid_image',
  'id_required',
  'selfie_required',
  'liveness_failed',
  'invalid_signature',
  'weak_password',
  'reset_token_invalid',
  // 401 / 402 / 403
  'unauthorized',
  'session_required',
  'invalid_credentials',
  'insufficient_balance',
  'account_suspended',
  'csrf_failed',
  'signups_closed',
  // other 4xx
  'not_found',
  'key_limit_reached',
  'key_name_taken',
  'key_revoked',
  'email_taken',
  'payments_not_configured',
  'idempotency_in_progress',
  'payload_too_large',
  'idempotency_key_reused',
  'rate_limited',
  'too_many_attempts',
  // 5xx
  'internal_error',
  'engine_unavailable',
  'service_unavailable',
  'payment_provider_unavailable',
  'engine_timeout',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

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
}
