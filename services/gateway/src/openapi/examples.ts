import { type ErrorCode, hintFor } from '../platform/errors/catalogue';
import type { ImageProblem } from '../platform/errors/codes';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE, SAMPLE_SELFIE_2 } from './samples';

/** Request and response examples: real answers of the real engine on the bundled sample images. */
const requestId = 'req_4bQk2XyFv9TzPq1LmN0a';
const area = (x: number, y: number, w: number, h: number, l: number[] | null, r: number[] | null) => ({
  x,
  y,
  w,
  h,
  left_eye: l,
  right_eye: r,
});

export const requestExamples = {
  verify: {
    sample: {
      summary: 'Sample ID card and selfie (runs a real verification)',
      description: 'A synthetic ID card and a selfie of the same person, as data URIs.',
      value: { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE },
    },
    urls: {
      summary: 'Template: image URLs',
      value: { img1: 'https://example.com/id-card.jpg', img2: 'https://example.com/selfie.jpg' },
    },
    documentFields: {
      summary: "Sample ID card and selfie, with the document's personal fields",
      description:
        'As the sample, also answering the MRZ\u2019s names, number, dates and sex (`document_fields`), with ' +
        'expiry and age judged on a given day (`as_of`).',
      value: { img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE, document_fields: true, as_of: '2026-12-06' },
    },
    base64: {
      summary: 'Template: base64 data URIs',
      value: {
        img1: 'data:image/jpeg;base64,<base64 of the ID document>',
        img2: 'data:image/jpeg;base64,<base64 of the selfie>',
      },
    },
    livenessRequired: {
      summary: 'Template: refuse a selfie that looks like a print or a screen',
      value: {
        img1: 'https://example.com/id-card.jpg',
        img2: 'https://example.com/selfie.jpg',
        liveness: 'require',
      },
    },
  },
  analyze: {
    sample: {
      summary: 'Sample face, all four attributes (runs a real analysis)',
      value: { image: SAMPLE_FACE, actions: ['age', 'gender', 'race', 'emotion'] },
    },
    url: {
      summary: 'Template: image URL, age and emotion only',
      value: { image: 'https://example.com/face.jpg', actions: ['age', 'emotion'] },
    },
  },
  lookalike: {
    sample: {
      summary: 'Two sample selfies of the same person (runs a real comparison)',
      value: { img1: SAMPLE_SELFIE, img2: SAMPLE_SELFIE_2 },
    },
    urls: {
      summary: 'Template: image URLs',
      value: { img1: 'https://example.com/person-a.jpg', img2: 'https://example.com/person-b.jpg' },
    },
  },
};

/** Role evidence of the sample ID card and of a sample selfie, as the engine reports it. */
const cardEvidence = (role: 'document' | 'selfie') => ({
  role,
  document_score: 0.89,
  signals: ['mrz', 'fields'],
  mrz: true,
  card_boundary: false,
  text_lines: 13,
  field_lines: 13,
  field_column: 4,
  faces: 1,
  face_ratio: 0.225,
  person_out_of_frame: false,
});
const selfieEvidence = (faceRatio: number) => ({
  role: 'selfie',
  document_score: 0,
  signals: [],
  mrz: false,
  card_boundary: false,
  text_lines: 0,
  field_lines: 0,
  field_column: 0,
  faces: 1,
  face_ratio: faceRatio,
  person_out_of_frame: false,
});

const quality = (role: 'document' | 'selfie', eyes: number, sharpness: number) => ({
  role,
  acceptable: true,
  issues: [],
  score: 88,
  scores: { resolution: 100, sharpness: 100, exposure: 100, glare: 100, pose: 88 },
  measures: {
    eye_distance_px: eyes,
    face_px: Math.round(eyes * 2.8),
    sharpness,
    brightness: 141.3,
    glare: 0,
    yaw: 6.2,
    pitch: 3.1,
    roll: 1.4,
  },
});
/**
 * The sample ID card's MRZ as the engine reads it: the synthetic card prints its zone in DejaVu Sans Mono, not in
 * OCR-B, so a few characters misread and the check digits (rightly) fail.
 */
export const sampleCardDocument = {
  mrz: 'read',
  format: 'TD1',
  document_type: 'id_card',
  issuing_country: 'FRO',
  nationality: 'FRO',
  check_digits_valid: false,
  invalid_fields: ['expirationDate', 'expirationDateCheckDigit', 'compositeCheckDigit'],
  expired: null,
  age: 41,
  age_check: { estimated_age: 38, margin: 23, consistent: true },
};
export const sampleCardFields = {
  surname: 'NOWAK',
  given_names: 'AMY',
  document_number: 'ZW0530I29',
  birth_date: '1985-07-22',
  expiry_date: null,
  sex: 'F',
};

const verifiedMessage = 'Face verification successful. ID matches the selfie.';
const notVerifiedMessage = 'Face verification failed. ID does not match the selfie.';
const model = 'face-api FaceRecognitionNet (ResNet-34 metric learning, 128-d, dlib-trained)';
const liveness = (score: number) => ({
  score,
  decision: score >= 0.5 ? 'live' : 'spoof',
  threshold: 0.5,
  model: 'human-models liveness (32 px single-frame CNN)',
});

export const responseExamples = {
  verified: {
    summary: 'Verified (charged)',
    value: {
      status: 'success',
      result: 'verified',
      message: verifiedMessage,
      engine_response: {
        verified: true,
        confidence: 99.96,
        decision: 'passed',
        threshold: 0.58,
        status: 'success',
        reason: verifiedMessage,
        details: {
          detector_backend: 'face-api TinyFaceDetector',
          distance: 0.3715,
          model,
          processing_time: 0.13,
          facial_areas: {
            img1: area(52, 118, 112, 92, [124, 139], [91, 136]),
            img2: area(114, 132, 252, 273, [282, 199], [172, 186]),
          },
          roles: { swapped: false, img1: cardEvidence('document'), img2: selfieEvidence(0.427) },
          quality: { img1: quality('document', 36.4, 0.41), img2: quality('selfie', 110.2, 0.52) },
          liveness: liveness(0.9912),
          document: sampleCardDocument,
        },
      },
      billing: { charged: 0.25, currency: 'USD' },
    },
  },
  notVerified: {
    summary: 'Not verified (not charged)',
    value: {
      status: 'failed',
      result: 'not_verified',
      message: notVerifiedMessage,
      engine_response: {
        verified: false,
        confidence: 0.01,
        decision: 'failed',
        threshold: 0.58,
        status: 'success',
        reason: notVerifiedMessage,
        details: {
          detector_backend: 'face-api TinyFaceDetector',
          distance: 0.861641,
          model,
          processing_time: 0.14,
          facial_areas: {
            img1: area(52, 118, 112, 92, [124, 139], [91, 136]),
            img2: area(131, 140, 240, 262, null, [190, 196]),
          },
          roles: { swapped: false, img1: cardEvidence('document'), img2: selfieEvidence(0.41) },
          liveness: liveness(0.9634),
          document: sampleCardDocument,
        },
      },
      billing: { charged: 0, currency: 'USD' },
    },
  },
  verifiedWithDocumentFields: {
    summary: "Verified, with the document's personal fields (document_fields: true)",
    description:
      'A synthetic passport whose MRZ is printed in OCR-B, as real ones are: every check digit agrees. Its ' +
      'invented country code is not an ICAO one, hence `invalid_fields`.',
    value: {
      status: 'success',
      result: 'verified',
      message: verifiedMessage,
      engine_response: {
        verified: true,
        confidence: 99.9,
        decision: 'passed',
        threshold: 0.58,
        status: 'success',
        reason: verifiedMessage,
        details: {
          detector_backend: 'face-api TinyFaceDetector',
          distance: 0.3902,
          model,
          processing_time: 0.41,
          facial_areas: {
            img1: area(121, 196, 187, 160, [246, 250], [184, 247]),
            img2: area(114, 132, 252, 273, [282, 199], [172, 186]),
          },
          document: {
            mrz: 'read',
            format: 'TD3',
            document_type: 'passport',
            issuing_country: 'FRD',
            nationality: 'FRD',
            check_digits_valid: true,
            invalid_fields: ['issuingState', 'nationality'],
            expired: false,
            age: 41,
            age_check: { estimated_age: 36, margin: 23, consistent: true },
            fields: {
              surname: 'ERIKSSON',
              given_names: 'LEONARD',
              document_number: 'ZW9530129',
              birth_date: '1985-07-22',
              expiry_date: '2032-12-02',
              sex: 'M',
            },
          },
        },
      },
      billing: { charged: 0.25, currency: 'USD' },
    },
  },
  analysis: {
    summary: 'One face, four attributes (charged)',
    value: {
      status: 'success',
      result: 'analysis_complete',
      message: 'Facial analysis completed successfully',
      faces_detected: 1,
      results: [
        { age: [{ age: 35, face_confidence: 1, region: area(246, 40, 137, 175, [334, 101], [273, 111]) }] },
        {
          gender: [
            {
              dominant_gender: 'Woman',
              gender: { Man: 5.49, Woman: 94.51 },
              face_confidence: 1,
              region: area(246, 40, 137, 175, [334, 101], [273, 111]),
            },
          ],
        },
        {
          race: [
            {
              dominant_race: 'other',
              race: { white: 40.15, black: 0.19, asian: 7.09, indian: 4.12, other: 48.45 },
              face_confidence: 1,
              region: area(246, 40, 137, 175, [334, 101], [273, 111]),
            },
          ],
        },
        {
          emotion: [
            {
              dominant_emotion: 'happy',
              emotion: { angry: 0, disgust: 0, fear: 0, happy: 100, neutral: 0, sad: 0, surprise: 0 },
              face_confidence: 1,
              region: area(246, 40, 137, 175, [334, 101], [273, 111]),
            },
          ],
        },
      ],
      billing: { charged: 0.3, currency: 'USD' },
    },
  },
  strongResemblance: {
    summary: 'Strong resemblance (charged)',
    value: {
      status: 'success',
      result: 'comparison_complete',
      message: 'Face comparison completed',
      similarity: 93.86,
      similarity_label: 'very_high',
      verified: true,
      ui_hint: { emoji: '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', message: 'Strong resemblance' },
      billing: { charged: 0.2, currency: 'USD' },
    },
  },
  lowResemblance: {
    summary: 'Low resemblance (not charged)',
    value: {
      status: 'success',
      result: 'comparison_complete',
      message: 'Face comparison completed',
      similarity: 0,
      similarity_label: 'low',
      verified: false,
      ui_hint: { emoji: '\u{1F605}', message: 'Low resemblance' },
      billing: { charged: 0, currency: 'USD' },
    },
  },
  account: {
    summary: 'Account',
    value: {
      status: 'success',
      result: 'account',
      message: 'Account retrieved',
      account: {
        id: 'acct_9fK2mQ7xLp3RtV1z',
        name: 'Acme KYC',
        email: 'dev@acme.test',
        status: 'active',
        currency: 'USD',
        balance: 9.55,
        reserved: 0,
        prices: { verify: 0.25, analyze: 0.3, lookalike: 0.2 },
        created_at: '2026-01-05T10:00:00.000Z',
      },
    },
  },
  usage: {
    summary: 'Two entries of a charged verification',
    value: {
      status: 'success',
      result: 'usage',
      message: 'Usage retrieved',
      data: [
        {
          id: 'le_43',
          type: 'capture',
          endpoint: 'verify',
          amount: 0.25,
          balance_change: -0.25,
          reserved_change: -0.25,
          request_id: requestId,
          reason: null,
          created_at: '2026-01-05T10:02:03.456Z',
        },
        {
          id: 'le_42',
          type: 'reserve',
          endpoint: 'verify',
          amount: 0.25,
          balance_change: 0,
          reserved_change: 0.25,
          request_id: requestId,
          reason: null,
          created_at: '2026-01-05T10:02:03.120Z',
        },
      ],
      has_more: true,
      next_cursor: 'bGU6NDI',
    },
  },
  unauthorized: {
    summary: 'Missing or invalid API key',
    value: {
      error: 'Unauthorized',
      message: 'API key is missing or invalid. Please provide a valid API key in the X-API-KEY header.',
      status: 401,
      hint: hintFor('unauthorized'),
      request_id: requestId,
    },
  },
  paymentRequired: {
    summary: 'Insufficient balance',
    value: {
      error: 'Payment Required',
      message: 'Insufficient balance to complete this verification. Please add credits to your account.',
      status: 402,
      current_balance: 0.1,
      required_amount: 0.25,
      hint: hintFor('insufficient_balance'),
      request_id: requestId,
    },
  },
  forbidden: {
    summary: 'Account suspended',
    value: {
      error: 'Forbidden',
      message: 'Your account has been suspended. Please contact support to resolve this issue.',
      status: 403,
      hint: hintFor('account_suspended'),
      request_id: requestId,
    },
  },
};

const envelope = (
  status: 'failed' | 'error',
  result: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  image?: ImageProblem,
) => ({
  status,
  result,
  message,
  ...(details ? { details } : {}),
  hint: hintFor(result, image),
  request_id: requestId,
});

export const errorExamples = {
  400: {
    idRequired: {
      summary: 'Two selfies',
      description:
        'Neither image shows a document signal (MRZ, fields beside the portrait, a card boundary).',
      value: envelope('failed', 'id_required', 'Please upload one ID image.', {
        roles: { swapped: false, img1: selfieEvidence(0.427), img2: selfieEvidence(0.426) },
      }),
    },
    livenessFailed: {
      summary: 'Selfie refused by liveness: "require"',
      description: 'The liveness network decided the selfie is a presentation attack (not charged).',
      value: envelope(
        'failed',
        'liveness_failed',
        'The selfie did not pass the liveness check: it looks like a photo of a photo or of a screen.',
        { roles: { swapped: false, img1: cardEvidence('document'), img2: selfieEvidence(0.427) } },
      ),
    },
    selfieRequired: {
      summary: 'Two documents',
      value: envelope('failed', 'selfie_required', 'Please upload one selfie image.', {
        roles: { swapped: false, img1: cardEvidence('document'), img2: cardEvidence('document') },
      }),
    },
    noFace: {
      summary: 'No face',
      value: envelope('failed', 'invalid_image', 'No clear face detected in one of the images.', undefined, {
        field: 'img2',
        cause: 'no_face',
        operation: 'verify',
      }),
    },
    multipleFaces: {
      summary: 'Several faces in the selfie',
      value: envelope(
        'failed',
        'invalid_image',
        'Selfie image must contain exactly one clear face.',
        undefined,
        { field: 'img2', cause: 'multiple_faces', operation: 'verify' },
      ),
    },
    lowQuality: {
      summary: 'Selfie too blurred to compare',
      value: envelope(
        'failed',
        'low_quality',
        'The face in image img2 is not good enough to compare reliably (blurry). Send a sharper, well-lit photo facing the camera.',
        undefined,
        { field: 'img2', operation: 'verify', issues: ['blurry'] },
      ),
    },
    invalidInput: {
      summary: 'Missing field',
      value: envelope('failed', 'invalid_input', 'img2 is required.'),
    },
  },
  404: envelope('failed', 'not_found', 'No route for GET /v1/nothing.'),
  409: envelope(
    'failed',
    'idempotency_in_progress',
    'A request with this Idempotency-Key is still being processed. Retry later to get its result.',
  ),
  413: envelope('failed', 'payload_too_large', 'Request body is too large (limit 16 MiB).'),
  422: envelope(
    'failed',
    'idempotency_key_reused',
    'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
  ),
  429: envelope('failed', 'rate_limited', 'Too many requests for this API key. Retry after 12 s.'),
  500: envelope(
    'error',
    'internal_error',
    'An unexpected error occurred. Nothing was charged. Please retry; contact support with the request id if it persists.',
  ),
  501: envelope(
    'error',
    'jobs_not_enabled',
    'Batch jobs are not enabled on this server: it runs without Redis (REDIS_URL is not set).',
  ),
  503: envelope(
    'error',
    'engine_unavailable',
    'The face engine is temporarily unavailable. Nothing was charged. Please retry shortly.',
  ),
  504: envelope(
    'error',
    'engine_timeout',
    'The face engine did not answer in time. Nothing was charged. Please retry.',
  ),
};
