import type { Reason } from '@deepface/proto';
import type { ImageCause, ImageProblem } from './codes';
import { invalidImageHint, lowQualityHint } from './hints';

/**
 * The one error catalogue: every `code` the gateway can answer with, and everything public about it. It drives the
 * AppError classes (status, body shape, transient), the rendered `hint`, the engine's gRPC reasons (clients/
 * engine.client.ts), the OpenAPI error list (openapi/schemas.ts, and the document's `x-errors`) and, through the
 * committed openapi.json, the SDK's error map (sdk/src/generated/errors.ts). Adding an error is one entry here;
 * errors/catalogue.test.ts then checks that it reaches OpenAPI and the SDK and renders in its documented envelope.
 *
 * To add a code: its entry below (an engine rejection: name the proto Reason under `engine`, and the engine client
 * answers it with no other change; otherwise throw `new CatalogueError('<code>')` where it is decided), then
 * regenerate `pnpm --filter @deepface/gateway openapi` and `pnpm --filter @deepface/sdk generate` (tests fail while
 * openapi.json or the SDK's map is stale). A public code with a status the API has no error response for yet also
 * needs that response in openapi/document.ts and its schema in openapi/schemas.ts (the test says so).
 */
export interface ErrorEntry {
  status: number;
  /**
   * The body's shape: `result` is the envelope `{status: "failed" | "error", result, message, hint, request_id}`;
   * `published` is the verbatim 401/402/403 body of the published contract `{error, message, status, hint, request_id}`.
   */
  envelope: 'result' | 'published';
  /**
   * The same request may succeed later: never stored under an Idempotency-Key, retried as a batch item. Instances
   * may say more (a failed download is transient although invalid_image is not).
   */
  transient: boolean;
  /** Answered by the public /v1 API: listed in the OpenAPI document and the SDK's map (else dashboard, webhook, CLI). */
  api: boolean;
  /** The message when the thrower gives none (most codes with a fixed public message). */
  message: string;
  /** What to do next, one sentence for people; a function when it names the image concerned (errors/hints.ts). */
  hint: string | ((problem: ImageProblem) => string);
  /**
   * The engine's rejections (proto `Reason`, gRPC INVALID_ARGUMENT) answered with this code, each with the image cause
   * the hint advises on (`null`: none).
   */
  engine?: Partial<Record<ReasonName, ImageCause | null>>;
}

/** The proto's reason names (the enum also admits its numbers, which the client never receives: enums: String). */
export type ReasonName = Extract<Reason, string>;

const RETRY_NOTHING_CHARGED = 'Nothing was charged. Please retry shortly.';

export const ERRORS = {
  // ---- 400: the request or its images ----------------------------------------------------------------------------
  invalid_input: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'The request could not be processed. Check the images and parameters.',
    hint: 'Correct the field named in the message; the API reference (/docs) lists every field and its format.',
  },
  invalid_image: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'An image could not be used.',
    hint: invalidImageHint,
    engine: {
      NO_FACE: 'no_face',
      MULTIPLE_FACES: 'multiple_faces',
      INVALID_IMAGE: 'unreadable',
      IMAGE_TOO_LARGE: 'too_large',
      UNSUPPORTED_FORMAT: 'unsupported_format',
      FACE_TOO_SMALL: 'face_too_small',
    },
  },
  id_required: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'Please upload one ID image.',
    hint: 'ID document: neither image looks like an identity document; photograph the whole passport page or ID card, flat, in focus, with its text readable.',
    engine: { ID_REQUIRED: null },
  },
  selfie_required: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'Please upload one selfie image.',
    hint: 'Selfie: both images look like identity documents; take a photo of the person’s face instead of a second document.',
    engine: { SELFIE_REQUIRED: null },
  },
  low_quality: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: true,
    message:
      'A face is not good enough to compare reliably. Send a sharper, well-lit photo facing the camera.',
    hint: lowQualityHint,
    // Answered by the engine client with the issues the gate named (LowQualityError); listed so the Reason is claimed.
    engine: { LOW_QUALITY: null },
  },
  // Verify with `liveness: "require"`: the selfie looks like a presentation attack (README "Liveness").
  liveness_failed: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'The selfie did not pass the liveness check: it looks like a photo of a photo or of a screen.',
    hint: 'Selfie: it looks like a photo of a printed picture or of a screen; take a new selfie of the person themselves, in good light, with nothing in front of the camera.',
    engine: { LIVENESS_FAILED: null },
  },
  invalid_signature: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'The Stripe-Signature header does not verify against this endpoint’s signing secret.',
    hint: 'Check that the webhook signing secret configured on this server matches the one in Stripe.',
  },
  weak_password: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'This password is too easy to guess.',
    hint: 'Choose a longer password made of a few unrelated words, or let a password manager suggest one.',
  },
  reset_token_invalid: {
    status: 400,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'This password reset link is invalid, expired or already used. Ask for a new one.',
    hint: 'Ask for a new password reset link on the sign-in page; each link works once, for a limited time.',
  },
  // ---- 401 / 402 / 403 -------------------------------------------------------------------------------------------
  unauthorized: {
    status: 401,
    envelope: 'published',
    transient: false,
    api: true,
    message: 'API key is missing or invalid. Please provide a valid API key in the X-API-KEY header.',
    hint: 'Send a valid, active API key in the X-API-KEY header; create one in the dashboard under API keys.',
  },
  session_required: {
    status: 401,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'Please sign in.',
    hint: 'Sign in to the dashboard again.',
  },
  invalid_credentials: {
    status: 401,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'The e-mail address or the password is not right.',
    hint: 'Check the e-mail address and the password, or reset the password with “Forgot password?”.',
  },
  insufficient_balance: {
    status: 402,
    envelope: 'published',
    transient: false,
    api: true,
    message: 'Insufficient balance to complete this verification. Please add credits to your account.',
    hint: 'Add credit to the account on the dashboard’s billing page, then retry.',
  },
  account_suspended: {
    status: 403,
    envelope: 'published',
    transient: false,
    api: true,
    message: 'Your account has been suspended. Please contact support to resolve this issue.',
    hint: 'Contact the operator of this server to have the account reinstated.',
  },
  csrf_failed: {
    status: 403,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'This request did not come from the dashboard (missing or wrong CSRF token). Reload the page.',
    hint: 'Reload the dashboard page and try again.',
  },
  signups_closed: {
    status: 403,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'Sign-ups are closed on this server. Ask its administrator for an account.',
    hint: 'Ask the administrator of this server to create an account for you.',
  },
  // ---- other 4xx -------------------------------------------------------------------------------------------------
  not_found: {
    status: 404,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'Not found.',
    hint: 'Check the address and the identifier; the API reference (/docs) lists every route.',
  },
  key_limit_reached: {
    status: 409,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'This account already has the most active API keys allowed. Revoke one before creating another.',
    hint: 'Revoke an API key you no longer use, then create the new one.',
  },
  key_name_taken: {
    status: 409,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'An active key already has this name. Choose another name, or roll or revoke that key.',
    hint: 'Choose another name for the key, or roll or revoke the key that has this name.',
  },
  key_revoked: {
    status: 409,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'This key is revoked: it can no longer be renamed or rolled. Create a new key instead.',
    hint: 'Create a new API key; a revoked key cannot be changed.',
  },
  email_taken: {
    status: 409,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'An account with this e-mail address already exists. Sign in instead.',
    hint: 'Sign in with this e-mail address instead, or reset its password if you forgot it.',
  },
  payments_not_configured: {
    status: 409,
    envelope: 'result',
    transient: false,
    api: false,
    message: 'Card payments are not set up on this server. See the billing page for how to add credit.',
    hint: 'Follow the instructions on the billing page to add credit.',
  },
  idempotency_in_progress: {
    status: 409,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'A request with this Idempotency-Key is still being processed. Retry later to get its result.',
    hint: 'Wait for the first request with this Idempotency-Key to finish, then retry to get its result.',
  },
  payload_too_large: {
    status: 413,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'Request body is too large.',
    hint: 'Send smaller images: resize or compress them, or send them as URLs.',
  },
  idempotency_key_reused: {
    status: 422,
    envelope: 'result',
    transient: false,
    api: true,
    message:
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
    hint: 'Use a new Idempotency-Key for a request with a different body.',
  },
  rate_limited: {
    status: 429,
    envelope: 'result',
    transient: true,
    api: true,
    message: 'Too many requests for this API key. Retry after the delay in Retry-After.',
    hint: 'Wait a moment (Retry-After gives the seconds), then retry; spread requests out to stay under the limit.',
  },
  too_many_attempts: {
    status: 429,
    envelope: 'result',
    transient: true,
    api: false,
    message: 'Too many attempts. Try again in a few minutes.',
    hint: 'Wait a few minutes before trying again.',
  },
  // ---- 5xx: our side (nothing is ever charged) -------------------------------------------------------------------
  internal_error: {
    status: 500,
    envelope: 'result',
    transient: true,
    api: true,
    message:
      'An unexpected error occurred. Nothing was charged. Please retry; contact support with the request id if it persists.',
    hint: 'Retry the request; if it keeps failing, contact support with the request id.',
  },
  // A feature this server was not configured for: lasts until it is, so not a 503 to retry.
  jobs_not_enabled: {
    status: 501,
    envelope: 'result',
    transient: false,
    api: true,
    message: 'Batch jobs are not enabled on this server: it runs without Redis (REDIS_URL is not set).',
    hint: 'Send the images to the synchronous endpoints, or ask the operator to set REDIS_URL to enable batch jobs.',
  },
  engine_unavailable: {
    status: 503,
    envelope: 'result',
    transient: true,
    api: true,
    message: `The face engine is temporarily unavailable. ${RETRY_NOTHING_CHARGED}`,
    hint: 'Retry in a few seconds (after Retry-After when it is given); nothing was charged.',
  },
  service_unavailable: {
    status: 503,
    envelope: 'result',
    transient: true,
    api: true,
    message: `The service is temporarily unavailable. ${RETRY_NOTHING_CHARGED}`,
    hint: 'Retry in a few seconds; nothing was charged.',
  },
  payment_provider_unavailable: {
    status: 503,
    envelope: 'result',
    transient: true,
    api: false,
    message: 'The payment provider could not be reached. Nothing was charged. Please retry in a minute.',
    hint: 'Retry the payment in a minute; nothing was charged.',
  },
  engine_timeout: {
    status: 504,
    envelope: 'result',
    transient: true,
    api: true,
    message: 'The face engine did not answer in time. Nothing was charged. Please retry.',
    hint: 'Retry the request; smaller images are processed faster.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/** Every code, in catalogue order. */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The entry of a code, widened to the interface (the const's literal types are for ErrorCode only). */
export function errorEntry(code: ErrorCode): ErrorEntry {
  return ERRORS[code];
}

/** The hint for an error code, in the words of the image it concerns (when it concerns one). */
export function hintFor(code: ErrorCode, problem: ImageProblem = {}): string {
  const { hint } = errorEntry(code);
  return typeof hint === 'string' ? hint : hint(problem);
}

/** The code (and image cause) answering an engine rejection; undefined for a reason no entry claims. */
export function codeForEngineReason(
  reason: ReasonName,
): { code: ErrorCode; cause: ImageCause | undefined } | undefined {
  for (const code of ERROR_CODES) {
    const causes = errorEntry(code).engine;
    if (causes && reason in causes) return { code, cause: causes[reason] ?? undefined };
  }
  return undefined;
}
