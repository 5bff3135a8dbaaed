/** Prose that more than one schema of the document states. */

/** What the liveness signal is and is not: stated wherever it is documented (README "Liveness" has the figures). */
export const LIVENESS_LIMITS =
  'A weak, single-frame signal (human-models liveness, a 32 px CNN): measured on 27 real photos of people against ' +
  'document portraits and simulated screen and print recaptures, ROC AUC about 0.8, but at its own 0.5 cut it ' +
  'lets most of those attacks through (about 96 %) and flags a few genuine selfies (about 4 %). It does not ' +
  'detect masks, good replays, deepfakes or injected images, and is no substitute for an active or certified ' +
  '(ISO/IEC 30107-3) liveness check.';

/** What every image field accepts. */
export const IMAGE_DESCRIPTION =
  'A public http(s) URL (at most 2,048 characters), a `data:image/...;base64,` URI or plain base64. JPEG, PNG, ' +
  'WebP, GIF (first frame), AVIF or TIFF, recognised from its bytes; at most 5 MiB and 40 megapixels by default.';
