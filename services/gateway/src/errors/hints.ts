import type { ErrorCode, ImageCause, ImageField, ImageOperation, ImageProblem } from './codes';

/**
 * One human sentence per error code saying what to do next: the `hint` of every error body. The message says what
 * went wrong in the API's terms ("Image img1 …"); the hint is for the person in front of a form, so it names an
 * image by its role ("ID document", "Selfie" on verify; "First image", "Second image" elsewhere). Keyed by the
 * closed ErrorCode list: a code without a hint does not compile, and errors/hints.test.ts checks every entry.
 */
type Hint = string | ((problem: ImageProblem) => string);

const FORMATS = 'JPEG, PNG, WebP, GIF, AVIF or TIFF';

/** The image's name for people: its role on verify, its position elsewhere. */
export function imageRole(field: ImageField | undefined, operation: ImageOperation | undefined): string {
  if (field === 'image' || (!field && operation === 'analyze')) return 'The image';
  if (!field) return 'One of the images';
  if (operation === 'verify') return field === 'img1' ? 'ID document' : 'Selfie';
  return field === 'img1' ? 'First image' : 'Second image';
}

/** What to do about one image, by cause. */
const IMAGE_ADVICE: Record<ImageCause, string> = {
  no_face:
    'no clear face was found; use a sharp, well-lit photo where the face is fully visible and faces the camera.',
  multiple_faces: 'use a photo with only one person in it, or crop it to that face.',
  face_too_small: 'the face is too small; take the photo closer or send a larger image.',
  unreadable: 'the file is damaged or not an image; export it again as a JPEG or PNG.',
  unsupported_format: `this file type is not accepted; send it as ${FORMATS}.`,
  too_large:
    'the file is too large; resize or compress it (a photo of about 1600 pixels per side is plenty).',
  empty: 'no image was sent; choose a file before running.',
  not_an_image_string: 'send an http(s) URL or the file as base64 (plain or a data:image/…;base64, URI).',
  download_failed:
    'the URL could not be downloaded; use a public link to the image file itself, or send it as base64.',
  not_a_sample: 'test keys accept only the sample images; use a live key for your own photos.',
};

function invalidImage({ field, cause, operation }: ImageProblem): string {
  const role = imageRole(field, operation);
  if (cause === 'multiple_faces' && operation === 'verify') return `Selfie: ${IMAGE_ADVICE.multiple_faces}`;
  if (cause) return `${role}: ${IMAGE_ADVICE[cause]}`;
  return `${role}: check that it is a clear photo of a face in ${FORMATS}.`;
}

export const HINTS: Record<ErrorCode, Hint> = {
  invalid_input:
    'Correct the field named in the message; the API reference (/docs) lists every field and its format.',
  invalid_image: invalidImage,
  id_required:
    'ID document: neither image looks like an identity document; photograph the whole passport page or ID card, flat, in focus, with its text readable.',
  selfie_required:
    'Selfie: both images look like identity documents; take a photo of the person’s face instead of a second document.',
  liveness_failed:
    'Selfie: it looks like a photo of a printed picture or of a screen; take a new selfie of the person themselves, in good light, with nothing in front of the camera.',
  invalid_signature:
    'Check that the webhook signing secret configured on this server matches the one in Stripe.',
  unauthorized:
    'Send a valid, active API key in the X-API-KEY header; create one in the dashboard under API keys.',
  weak_password:
    'Choose a longer password made of a few unrelated words, or let a password manager suggest one.',
  reset_token_invalid:
    'Ask for a new password reset link on the sign-in page; each link works once, for a limited time.',
  session_required: 'Sign in to the dashboard again.',
  invalid_credentials:
    'Check the e-mail address and the password, or reset the password with “Forgot password?”.',
  insufficient_balance: 'Add credit to the account on the dashboard’s billing page, then retry.',
  account_suspended: 'Contact the operator of this server to have the account reinstated.',
  csrf_failed: 'Reload the dashboard page and try again.',
  signups_closed: 'Ask the administrator of this server to create an account for you.',
  not_found: 'Check the address and the identifier; the API reference (/docs) lists every route.',
  key_limit_reached: 'Revoke an API key you no longer use, then create the new one.',
  key_name_taken: 'Choose another name for the key, or roll or revoke the key that has this name.',
  key_revoked: 'Create a new API key; a revoked key cannot be changed.',
  email_taken: 'Sign in with this e-mail address instead, or reset its password if you forgot it.',
  payments_not_configured: 'Follow the instructions on the billing page to add credit.',
  idempotency_in_progress:
    'Wait for the first request with this Idempotency-Key to finish, then retry to get its result.',
  payload_too_large: 'Send smaller images: resize or compress them, or send them as URLs.',
  idempotency_key_reused: 'Use a new Idempotency-Key for a request with a different body.',
  rate_limited:
    'Wait a moment (Retry-After gives the seconds), then retry; spread requests out to stay under the limit.',
  too_many_attempts: 'Wait a few minutes before trying again.',
  internal_error: 'Retry the request; if it keeps failing, contact support with the request id.',
  engine_unavailable: 'Retry in a few seconds (after Retry-After when it is given); nothing was charged.',
  service_unavailable: 'Retry in a few seconds; nothing was charged.',
  payment_provider_unavailable: 'Retry the payment in a minute; nothing was charged.',
  engine_timeout: 'Retry the request; smaller images are processed faster.',
};

/** The hint for an error code, in the words of the image it concerns (when it concerns one). */
export function hintFor(code: ErrorCode, problem: ImageProblem = {}): string {
  const hint = HINTS[code];
  return typeof hint === 'string' ? hint : hint(problem);
}
