import { SUPPORTED_FORMAT_NAMES } from '@deepface/media';
import type { ImageCause, ImageField, ImageOperation, ImageProblem, QualityIssue } from './codes';

/**
 * The words of the hints that name an image. Each code's hint is in the catalogue (errors/catalogue.ts); the message
 * says what went wrong in the API's terms ("Image img1 …"), the hint is for the person in front of a form, so it
 * names an image by its role ("ID document", "Selfie" on verify; "First image", "Second image" elsewhere).
 */

const FORMATS = SUPPORTED_FORMAT_NAMES;

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

/** The hint of invalid_image: the image by its role, and advice by cause. */
export function invalidImageHint({ field, cause, operation }: ImageProblem): string {
  const role = imageRole(field, operation);
  if (cause === 'multiple_faces' && operation === 'verify') return `Selfie: ${IMAGE_ADVICE.multiple_faces}`;
  if (cause) return `${role}: ${IMAGE_ADVICE[cause]}`;
  return `${role}: check that it is a clear photo of a face in ${FORMATS}.`;
}

/** What to change in the photo, per quality issue. */
const QUALITY_ADVICE: Record<QualityIssue, string> = {
  too_small: 'come closer or send a larger image',
  blurry: 'hold the camera still and let it focus',
  too_dark: 'use more light',
  too_bright: 'use less light or turn the flash off',
  glare: 'tilt it away from lamps and windows to avoid reflections',
  pose: 'face the camera straight on',
};

export function lowQualityHint({ field, operation, issues = [] }: ImageProblem): string {
  const advice = issues.map((i) => QUALITY_ADVICE[i]);
  const what = advice.length > 0 ? advice.join(', ') : 'use a sharp, well-lit photo facing the camera';
  return `${imageRole(field, operation)}: the face is not clear enough to compare; retake the photo — ${what}.`;
}
