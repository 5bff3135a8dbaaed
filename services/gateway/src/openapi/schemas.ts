/**
 * JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of every public body. Kept to keywords draft-07 validators
 * also understand (no prefixItems), because the generated Postman collection checks responses with them too.
 */
import { ERROR_CODES as CATALOGUE, type ErrorCode, errorEntry } from '../platform/errors/catalogue';
import { LIVENESS_LIMITS } from './descriptions';
import type { Schema } from './from-zod';
import { requestSchemas } from './requests';

export type { Schema };

/** The request bodies, generated from the routes' zod schemas (requests.ts). */
const request = requestSchemas;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const percentMap = (description: string): Schema => ({
  type: 'object',
  description,
  additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
});

/** The codes of the public API in the `result` envelope, by status: from the catalogue (errors/catalogue.ts). */
const API_CODES_BY_STATUS = CATALOGUE.reduce<Record<number, ErrorCode[]>>((byStatus, code) => {
  const { status, envelope, api } = errorEntry(code);
  if (api && envelope === 'result') (byStatus[status] ??= []).push(code);
  return byStatus;
}, {});

/** The public API's codes as the document's `x-errors` lists them: what the SDK's error map is generated from. */
export const apiErrors = CATALOGUE.filter((code) => errorEntry(code).api).map((code) => {
  const { status, envelope, transient } = errorEntry(code);
  return { code, status, envelope, transient };
});

/** Additive to every error body, the published 401/402/403 shapes included (errors/catalogue.ts). */
const hint: Schema = {
  type: 'string',
  description:
    'What to do next, in one sentence for people (show it to your users as is). Where the error concerns one ' +
    'image it names it by its role: "ID document" (img1) and "Selfie" (img2) on /v1/verify, "First image" / ' +
    '"Second image" on /v1/lookalike, "The image" on /v1/analyze. May change; branch on `result`, not on it.',
  examples: ['Selfie: use a photo with only one person in it, or crop it to that face.'],
};

/** The envelope every 4xx/5xx uses except 401/402/403 (whose bodies are the published, verbatim ones). */
function errorEnvelope(status: number, description: string, details?: Schema): Schema {
  return {
    type: 'object',
    description,
    required: ['status', 'result', 'message', 'hint', 'request_id'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: [status >= 500 ? 'error' : 'failed'] },
      result: {
        type: 'string',
        enum: [...(API_CODES_BY_STATUS[status] ?? [])],
        description: 'Stable, machine-readable code.',
      },
      message: { type: 'string', description: 'Human-readable explanation; may change, do not parse it.' },
      ...(details ? { details } : {}),
      hint,
      request_id: ref('RequestId'),
    },
  };
}

const roleEvidence: Schema = {
  type: 'object',
  description:
    'What Verify saw in one image: its role and the evidence of an identity document behind it. An image is ' +
    'taken for the document only when it shows at least one signal; two images without one are two selfies ' +
    '(`id_required`), two with one are two documents (`selfie_required`).',
  required: [
    'role',
    'document_score',
    'signals',
    'mrz',
    'card_boundary',
    'text_lines',
    'field_lines',
    'field_column',
    'faces',
    'face_ratio',
    'person_out_of_frame',
  ],
  additionalProperties: false,
  properties: {
    role: { type: 'string', enum: ['document', 'selfie'] },
    document_score: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      description: 'How document-like the image is: at or above 0.5 exactly when it shows a document signal.',
    },
    signals: {
      type: 'array',
      items: { type: 'string', enum: ['mrz', 'fields', 'card'] },
      description:
        'Positive evidence of a document: `mrz` a machine-readable zone below the portrait, `fields` a stack of ' +
        'aligned text fields beside it (unless the person runs out of the frame), `card` a card or page boundary ' +
        'of a document’s proportions around it.',
    },
    mrz: { type: 'boolean', description: 'A machine-readable zone (ICAO 9303 geometry) was found.' },
    card_boundary: {
      type: 'boolean',
      description:
        'A card or page boundary was found around the portrait. Looked for only where it can decide the role: ' +
        'no MRZ, and at least two field lines on the card (an MRZ is proof enough; a bare frame is none).',
    },
    text_lines: { type: 'integer', minimum: 0, description: 'Lines of print around the main face.' },
    field_lines: {
      type: 'integer',
      minimum: 0,
      description: "Lines at the portrait's scale beside it or across the card below it.",
    },
    field_column: {
      type: 'integer',
      minimum: 0,
      description: 'The longest stack of left-aligned field lines beside the portrait.',
    },
    faces: { type: 'integer', minimum: 0, description: 'Faces found in the image.' },
    face_ratio: { type: 'number', minimum: 0, description: 'Main face height / image height.' },
    person_out_of_frame: {
      type: 'boolean',
      description:
        'The person under the face runs on out of the frame at the bottom: a photographed person, not a printed ' +
        'portrait. Looked at only when fields would be the only document evidence, and then outweighs them.',
    },
  },
};

const verifyRoles: Schema = {
  type: 'object',
  description: "Each image's role in Verify and the evidence behind it.",
  required: ['swapped', 'img1', 'img2'],
  additionalProperties: false,
  properties: {
    swapped: {
      type: 'boolean',
      description: 'img1 was recognised as the selfie and img2 as the document (accepted as such).',
    },
    img1: ref('RoleEvidence'),
    img2: ref('RoleEvidence'),
  },
};

const score = (description: string): Schema => ({ type: 'integer', minimum: 0, maximum: 100, description });

const faceQuality: Schema = {
  type: 'object',
  description:
    "One face's quality, judged against the limits of the image's role before the faces are compared. The " +
    'components follow ISO/IEC 29794-5 and BSI OFIQ (inter-eye distance, sharpness, exposure, glare, head ' +
    'pose); occlusion is not measured.',
  required: ['role', 'acceptable', 'issues', 'score', 'scores', 'measures'],
  additionalProperties: false,
  properties: {
    role: { type: 'string', enum: ['document', 'selfie'], description: 'Whose limits judged the face.' },
    acceptable: { type: 'boolean', description: 'No issue: the face passes its limits.' },
    issues: {
      type: 'array',
      items: { type: 'string', enum: ['too_small', 'blurry', 'too_dark', 'too_bright', 'glare', 'pose'] },
    },
    score: score('The lowest component score.'),
    scores: {
      type: 'object',
      description:
        '0–100 per component: 100 where no effect on recognition was measured, 0 where it is lost.',
      required: ['resolution', 'sharpness', 'exposure', 'glare', 'pose'],
      additionalProperties: false,
      properties: {
        resolution: score('From the inter-eye distance.'),
        sharpness: score('From the contrast-normalised Laplacian energy.'),
        exposure: score('From the mean luminance of the inner face.'),
        glare: score('From the share of clipped highlights on the inner face.'),
        pose: score('From yaw and roll.'),
      },
    },
    measures: {
      type: 'object',
      required: ['eye_distance_px', 'face_px', 'sharpness', 'brightness', 'glare', 'yaw', 'pitch', 'roll'],
      additionalProperties: false,
      properties: {
        eye_distance_px: {
          type: 'number',
          minimum: 0,
          description: 'Between the eye centres, pixels of the image as sent.',
        },
        face_px: {
          type: 'integer',
          minimum: 0,
          description: 'Face box height, pixels of the image as sent.',
        },
        sharpness: {
          type: 'number',
          minimum: 0,
          description: "Laplacian variance relative to the face's luminance variance (low: blurred).",
        },
        brightness: { type: 'number', minimum: 0, maximum: 255, description: 'Mean luminance, 0–255.' },
        glare: {
          type: 'number',
          minimum: 0,
          maximum: 1,
          description: 'Share of clipped (near-white) pixels.',
        },
        yaw: { type: 'number', description: 'Head turn, degrees, estimated from the landmarks.' },
        pitch: {
          type: 'number',
          description:
            'Head nod, degrees (a coarse estimate from 2-D landmarks: reported, never refused on).',
        },
        roll: { type: 'number', description: 'In-plane tilt, degrees.' },
      },
    },
  },
};

const verifyQuality: Schema = {
  type: 'object',
  description:
    "Each image's face quality (img1 and img2 as sent, each judged as the role it was recognised in).",
  required: ['img1', 'img2'],
  additionalProperties: false,
  properties: { img1: ref('FaceQuality'), img2: ref('FaceQuality') },
};

const text = (description: string): Schema => nullable({ type: 'string', description });
const documentFields: Schema = {
  type: 'object',
  description:
    'Personal data from the MRZ, present only when the request set `document_fields: true` (null when the zone ' +
    'was not read). Never stored or logged by the service; a field that could not be read is null.',
  required: ['surname', 'given_names', 'document_number', 'birth_date', 'expiry_date', 'sex'],
  additionalProperties: false,
  properties: {
    surname: text('As printed in the MRZ (fillers become spaces).'),
    given_names: text('As printed in the MRZ (fillers become spaces).'),
    document_number: text('As printed in the MRZ.'),
    birth_date: text('YYYY-MM-DD; the century is the one that puts the birth before `as_of`.'),
    expiry_date: text('YYYY-MM-DD; the century is the one within 50 years of `as_of`.'),
    sex: nullable({ type: 'string', enum: ['M', 'F', 'X'], description: 'X: unspecified.' }),
  },
};

const documentData: Schema = {
  type: 'object',
  description:
    "What the document's machine-readable zone (MRZ, ICAO 9303) says, read from the image recognised as the " +
    'document (whichever field it was sent in). Every key is present; they are null (and `invalid_fields` ' +
    'empty) unless `mrz` is `read`. Informative: it does not change `verified` or the price.',
  required: [
    'mrz',
    'format',
    'document_type',
    'issuing_country',
    'nationality',
    'check_digits_valid',
    'invalid_fields',
    'expired',
    'age',
    'age_check',
  ],
  additionalProperties: false,
  properties: {
    mrz: {
      type: 'string',
      enum: ['read', 'absent', 'too_small', 'unreadable'],
      description:
        '`read`: the zone was read; `absent`: no MRZ found (many ID cards have none on the front); ' +
        '`too_small`: printed too small in the image to read without guessing (send at least ~150 dpi, capitals ' +
        '\u2265 10 px); `unreadable`: found but its rows could not be laid out as a TD1, TD2, TD3 or visa zone.',
    },
    format: nullable({ type: 'string', enum: ['TD1', 'TD2', 'TD3', 'MRVA', 'MRVB'] }),
    document_type: nullable({
      type: 'string',
      enum: ['passport', 'id_card', 'visa', 'other'],
      description: 'From the document code.',
    }),
    issuing_country: text('ICAO 9303 code as printed (e.g. UTO, D for Germany).'),
    nationality: text('ICAO 9303 code as printed.'),
    check_digits_valid: nullable({
      type: 'boolean',
      description:
        'Every check digit agrees with its field (composite included where the format has one). A misread ' +
        'character makes it false; a reading is never corrected to make it pass.',
    }),
    invalid_fields: {
      type: 'array',
      items: { type: 'string' },
      description: 'Fields whose check digit disagrees or whose value the format does not allow.',
    },
    expired: nullable({
      type: 'boolean',
      description: 'The expiry date is before `as_of`; null when the date cannot be read.',
    }),
    age: nullable({
      type: 'integer',
      minimum: 0,
      description: 'Whole years from the birth date to `as_of`; null when the date cannot be read.',
    }),
    age_check: nullable({
      type: 'object',
      description:
        "Does the selfie look as old as the document's holder is? The age network's estimate for the selfie's " +
        'face against `age`, with a margin that grows with the network\u2019s error at that age (23 to 25 ' +
        'years between ages 19 and 60: it lets through 99 % of genuine holders under the error its authors ' +
        'published). A report for review, never a refusal, and it does not change `verified`. Null when `age` is ' +
        'null; null in stored copies of the answer (idempotent replays, batch results).',
      required: ['estimated_age', 'margin', 'consistent'],
      additionalProperties: false,
      properties: {
        estimated_age: {
          type: 'integer',
          minimum: 0,
          description: "The selfie's estimated age, whole years.",
        },
        margin: {
          type: 'integer',
          minimum: 0,
          description: 'Years the estimate may differ from `age` and still be called consistent.',
        },
        consistent: { type: 'boolean', description: '|estimated_age \u2212 age| \u2264 margin.' },
      },
    }),
    fields: nullable(ref('DocumentFields')),
  },
};

const billing: Schema = {
  type: 'object',
  description:
    'What this request cost. Present on every successful answer; 0 when the outcome is not billable.',
  required: ['charged', 'currency'],
  additionalProperties: false,
  properties: {
    charged: { type: 'number', minimum: 0, description: 'Amount charged, in dollars.' },
    currency: { type: 'string', enum: ['USD'] },
  },
};

const eye: Schema = nullable({
  type: 'array',
  description: '[x, y] in pixels of the image as sent, or null when the eye was not located.',
  items: { type: 'integer' },
  minItems: 2,
  maxItems: 2,
});

const facialArea: Schema = {
  type: 'object',
  description: 'A face box in pixels of the image as sent (EXIF orientation applied), with the eye centres.',
  required: ['x', 'y', 'w', 'h', 'left_eye', 'right_eye'],
  additionalProperties: false,
  properties: {
    x: { type: 'integer' },
    y: { type: 'integer' },
    w: { type: 'integer', minimum: 0 },
    h: { type: 'integer', minimum: 0 },
    left_eye: eye,
    right_eye: eye,
  },
};

const faceEntry = (extra: Record<string, Schema>, required: string[]): Schema => ({
  type: 'object',
  required: [...required, 'face_confidence', 'region'],
  additionalProperties: false,
  properties: {
    ...extra,
    face_confidence: { type: 'number', minimum: 0, maximum: 1, description: 'Detector score of the face.' },
    region: nullable(ref('FacialArea')),
  },
});

const actionResult = (action: string, entry: Schema): Schema => ({
  type: 'object',
  description: `The ${action} of every face found, in detection order.`,
  required: [action],
  additionalProperties: false,
  properties: { [action]: { type: 'array', items: entry } },
});

export const schemas: Record<string, Schema> = {
  RequestId: {
    type: 'string',
    pattern: '^[A-Za-z0-9._:-]{8,64}$',
    description: 'Identifies the request in our logs (also in the X-Request-Id header). Quote it to support.',
    examples: ['req_4bQk2XyFv9TzPq1LmN0a'],
  },
  ImageInput: request.ImageInput,
  Billing: billing,
  FacialArea: facialArea,
  RoleEvidence: roleEvidence,
  VerifyRoles: verifyRoles,
  FaceQuality: faceQuality,
  VerifyQuality: verifyQuality,
  Liveness: {
    type: 'object',
    required: ['score', 'decision', 'threshold', 'model'],
    additionalProperties: false,
    description: `The selfie's presentation-attack signal (absent with \`liveness: "off"\`). ${LIVENESS_LIMITS}`,
    properties: {
      score: { type: 'number', minimum: 0, maximum: 1, description: 'Higher means likelier a live face.' },
      decision: {
        type: 'string',
        enum: ['live', 'spoof', 'undecided'],
        description: '`spoof` below `threshold`; `undecided` when the network could not judge the face.',
      },
      threshold: { type: 'number', description: "The network's own decision point (0.5)." },
      model: { type: 'string' },
    },
  },
  DocumentData: documentData,
  DocumentFields: documentFields,

  VerifyRequest: request.VerifyRequest,
  VerifyResponse: {
    type: 'object',
    required: ['status', 'result', 'message', 'engine_response', 'billing'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['success', 'failed'] },
      result: { type: 'string', enum: ['verified', 'not_verified'] },
      message: { type: 'string' },
      engine_response: {
        type: 'object',
        required: ['verified', 'confidence', 'decision', 'threshold', 'status', 'reason', 'details'],
        additionalProperties: false,
        properties: {
          verified: { type: 'boolean', description: 'The primary result: the ID matches the selfie.' },
          confidence: { type: 'number', minimum: 0, maximum: 100, description: '50 at the threshold.' },
          decision: { type: 'string', enum: ['passed', 'failed'] },
          threshold: { type: 'number', description: 'Distance at or below which faces match.' },
          status: { type: 'string', enum: ['success'] },
          reason: { type: 'string' },
          details: {
            type: 'object',
            required: ['detector_backend', 'distance', 'model', 'processing_time', 'facial_areas'],
            additionalProperties: false,
            properties: {
              detector_backend: nullable({ type: 'string' }),
              distance: { type: 'number', minimum: 0, description: 'Euclidean; lower means more similar.' },
              model: nullable({ type: 'string' }),
              processing_time: { type: 'number', minimum: 0, description: 'Engine time in seconds.' },
              facial_areas: {
                type: 'object',
                required: ['img1', 'img2'],
                additionalProperties: false,
                properties: { img1: nullable(ref('FacialArea')), img2: nullable(ref('FacialArea')) },
              },
              roles: ref('VerifyRoles'),
              quality: ref('VerifyQuality'),
              liveness: ref('Liveness'),
              document: ref('DocumentData'),
            },
          },
        },
      },
      billing: ref('Billing'),
    },
  },

  AnalyzeRequest: request.AnalyzeRequest,
  AnalyzeResponse: {
    type: 'object',
    required: ['status', 'result', 'message', 'faces_detected', 'results', 'billing'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['success'] },
      result: { type: 'string', enum: ['analysis_complete'] },
      message: { type: 'string' },
      faces_detected: { type: 'integer', minimum: 1 },
      results: {
        type: 'array',
        description: 'One object per requested action, in the order requested.',
        items: {
          oneOf: [
            actionResult('age', faceEntry({ age: { type: 'integer', minimum: 0 } }, ['age'])),
            actionResult(
              'gender',
              faceEntry(
                {
                  dominant_gender: { type: 'string', examples: ['Man', 'Woman'] },
                  gender: percentMap('Percentages per class (Man, Woman), summing to 100.'),
                },
                ['dominant_gender', 'gender'],
              ),
            ),
            actionResult(
              'race',
              faceEntry(
                {
                  dominant_race: { type: 'string' },
                  race: percentMap("Percentages per class of the engine's model, summing to 100."),
                },
                ['dominant_race', 'race'],
              ),
            ),
            actionResult(
              'emotion',
              faceEntry(
                {
                  dominant_emotion: {
                    type: 'string',
                    enum: ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'],
                  },
                  emotion: percentMap('Percentages per emotion, summing to 100.'),
                },
                ['dominant_emotion', 'emotion'],
              ),
            ),
          ],
        },
      },
      billing: ref('Billing'),
    },
  },

  LookalikeRequest: request.LookalikeRequest,
  LookalikeResponse: {
    type: 'object',
    required: [
      'status',
      'result',
      'message',
      'similarity',
      'similarity_label',
      'verified',
      'ui_hint',
      'billing',
    ],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['success'] },
      result: { type: 'string', enum: ['comparison_complete'] },
      message: { type: 'string' },
      similarity: { type: 'number', minimum: 0, maximum: 100 },
      similarity_label: { type: 'string', enum: ['low', 'medium', 'high', 'very_high'] },
      verified: { type: 'boolean', description: 'The faces strongly match (drives billing).' },
      ui_hint: {
        type: 'object',
        required: ['emoji', 'message'],
        additionalProperties: false,
        properties: { emoji: { type: 'string' }, message: { type: 'string' } },
      },
      billing: ref('Billing'),
    },
  },

  Account: {
    type: 'object',
    required: ['id', 'name', 'email', 'status', 'currency', 'balance', 'reserved', 'prices', 'created_at'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', examples: ['acct_9fK2mQ7xLp3RtV1z'] },
      name: { type: 'string' },
      email: nullable({ type: 'string' }),
      status: { type: 'string', enum: ['active', 'suspended'] },
      currency: { type: 'string', enum: ['USD'] },
      balance: {
        type: 'number',
        description: 'Available balance in dollars (funds held by running requests excluded).',
      },
      reserved: { type: 'number', minimum: 0, description: 'Held by requests in flight, in dollars.' },
      prices: {
        type: 'object',
        required: ['verify', 'analyze', 'lookalike'],
        additionalProperties: false,
        properties: {
          verify: { type: 'number', minimum: 0 },
          analyze: { type: 'number', minimum: 0 },
          lookalike: { type: 'number', minimum: 0 },
        },
      },
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  AccountResponse: {
    type: 'object',
    required: ['status', 'result', 'message', 'account'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['success'] },
      result: { type: 'string', enum: ['account'] },
      message: { type: 'string' },
      account: ref('Account'),
    },
  },
  UsageEntry: {
    type: 'object',
    required: [
      'id',
      'type',
      'endpoint',
      'amount',
      'balance_change',
      'reserved_change',
      'request_id',
      'reason',
      'created_at',
    ],
    additionalProperties: false,
    properties: {
      id: { type: 'string', examples: ['le_42'] },
      type: {
        type: 'string',
        enum: ['reserve', 'capture', 'release', 'credit', 'debit'],
        description:
          'reserve (price held before the engine call), capture (charged), release (hold returned), credit, debit.',
      },
      endpoint: nullable({ type: 'string', enum: ['verify', 'analyze', 'lookalike'] }),
      amount: { type: 'number', minimum: 0 },
      balance_change: { type: 'number' },
      reserved_change: { type: 'number' },
      request_id: nullable({ type: 'string' }),
      reason: nullable({ type: 'string' }),
      created_at: { type: 'string', format: 'date-time' },
    },
  },
  UsageResponse: {
    type: 'object',
    required: ['status', 'result', 'message', 'data', 'has_more', 'next_cursor'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['success'] },
      result: { type: 'string', enum: ['usage'] },
      message: { type: 'string' },
      data: { type: 'array', items: ref('UsageEntry'), description: 'Newest first.' },
      has_more: { type: 'boolean' },
      next_cursor: nullable({ type: 'string', description: 'Pass as `cursor` for the next page.' }),
    },
  },

  HealthResponse: {
    type: 'object',
    required: ['status'],
    additionalProperties: false,
    properties: { status: { type: 'string', enum: ['ok'] } },
  },
  ReadinessResponse: {
    type: 'object',
    required: ['status', 'draining', 'checks'],
    additionalProperties: false,
    properties: {
      status: { type: 'string', enum: ['ready', 'not_ready'] },
      draining: { type: 'boolean' },
      checks: {
        type: 'object',
        required: ['database', 'redis', 'engine'],
        properties: {
          database: { type: 'string', enum: ['ok', 'down'] },
          redis: { type: 'string', enum: ['ok', 'down', 'disabled'] },
          engine: { type: 'object' },
        },
      },
    },
  },

  UnauthorizedError: {
    type: 'object',
    description: 'Missing, malformed, unknown and revoked keys all get this same body.',
    required: ['error', 'message', 'status', 'hint', 'request_id'],
    additionalProperties: false,
    properties: {
      error: { type: 'string', enum: ['Unauthorized'] },
      message: { type: 'string' },
      status: { type: 'integer', enum: [401] },
      hint,
      request_id: ref('RequestId'),
    },
  },
  PaymentRequiredError: {
    type: 'object',
    required: ['error', 'message', 'status', 'current_balance', 'required_amount', 'hint', 'request_id'],
    additionalProperties: false,
    properties: {
      error: { type: 'string', enum: ['Payment Required'] },
      message: { type: 'string' },
      status: { type: 'integer', enum: [402] },
      current_balance: { type: 'number', description: 'Available balance in dollars.' },
      required_amount: { type: 'number', description: 'Price of the request in dollars.' },
      hint,
      request_id: ref('RequestId'),
    },
  },
  ForbiddenError: {
    type: 'object',
    required: ['error', 'message', 'status', 'hint', 'request_id'],
    additionalProperties: false,
    properties: {
      error: { type: 'string', enum: ['Forbidden'] },
      message: { type: 'string' },
      status: { type: 'integer', enum: [403] },
      hint,
      request_id: ref('RequestId'),
    },
  },
  BadRequestError: errorEnvelope(
    400,
    'The request or one of its images cannot be used: invalid_input (body, fields, headers), invalid_image ' +
      '(unreadable, unsupported, too large, unreachable, no clear face, several faces in the selfie), ' +
      'id_required / selfie_required (verify: two selfies / two documents), low_quality (verify: a face too ' +
      'small, blurred, badly exposed, glared or turned away to compare reliably; the message names the problems).',
    {
      type: 'object',
      description:
        'Verify refusals decided on roles (id_required, selfie_required, several faces in the selfie): ' +
        "each image's role evidence, so you can see why.",
      required: ['roles'],
      additionalProperties: false,
      properties: { roles: ref('VerifyRoles') },
    },
  ),
  NotFoundError: errorEnvelope(404, 'No such route.'),
  IdempotencyInProgressError: errorEnvelope(
    409,
    'A request with this Idempotency-Key is still running; retry after Retry-After.',
  ),
  PayloadTooLargeError: errorEnvelope(413, 'The JSON body is over the limit (16 MiB by default).'),
  IdempotencyKeyReusedError: errorEnvelope(422, 'This Idempotency-Key was used with a different request.'),
  RateLimitedError: errorEnvelope(
    429,
    "Over this API key's or this account's rate limit, or too many of the account's requests in flight; retry after Retry-After.",
  ),
  InternalError: errorEnvelope(500, 'Unexpected; nothing was charged. Retry; quote request_id to support.'),
  NotImplementedError: errorEnvelope(
    501,
    'A feature this server is not configured for (batch jobs without Redis); lasts until it is: do not retry.',
  ),
  ServiceUnavailableError: errorEnvelope(
    503,
    'engine_unavailable (engine down, busy or restarting) or service_unavailable (database); nothing was charged.',
  ),
  EngineTimeoutError: errorEnvelope(504, 'The engine did not answer in time; nothing was charged.'),
};
