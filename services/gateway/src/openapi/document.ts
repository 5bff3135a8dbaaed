import { errorExamples, requestExamples, responseExamples } from './examples';
import { jobPaths, jobSchemas } from './jobs';
import { apiErrors, schemas } from './schemas';
import type { OpenApiDocument, Operation, ResponseObject } from './types';

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

const headers = {
  'X-Request-Id': {
    description: 'Identifies the request (also `request_id` in error bodies). Sent on every response.',
    required: true,
    schema: schemaRef('RequestId'),
  },
  'RateLimit-Policy': {
    description:
      'The quotas (IETF RateLimit headers draft): q requests per window of w seconds for this API key (`per-key`) ' +
      'and for the whole account, all of its keys together (`per-account`).',
    schema: {
      type: 'string',
      pattern: '^"per-key";q=\\d+;w=\\d+(, "per-account";q=\\d+;w=\\d+)?$',
      examples: ['"per-key";q=120;w=60, "per-account";q=240;w=60'],
    },
  },
  RateLimit: {
    description:
      'Per policy, requests remaining (r) in the current window and seconds until it resets (t). A 429 names ' +
      'the policy that refused in its message.',
    schema: {
      type: 'string',
      pattern: '^"per-key";r=\\d+;t=\\d+(, "per-account";r=\\d+;t=\\d+)?$',
      examples: ['"per-key";r=119;t=60, "per-account";r=231;t=60'],
    },
  },
  'Retry-After': {
    description: 'Seconds to wait before retrying.',
    schema: { type: 'string', pattern: '^\\d+$', examples: ['1'] },
  },
  'X-Billing-Charged': {
    description: 'Amount charged for this request, in dollars (two decimals).',
    required: true,
    schema: { type: 'string', pattern: '^\\d+\\.\\d{2}$', examples: ['0.25'] },
  },
  'X-Balance-Remaining': {
    description: 'Available balance after this request, in dollars (two decimals).',
    required: true,
    schema: { type: 'string', pattern: '^-?\\d+\\.\\d{2}$', examples: ['9.75'] },
  },
  'X-Billing-Currency': {
    description: 'Always USD.',
    required: true,
    schema: { type: 'string', enum: ['USD'] },
  },
  'Idempotent-Replayed': {
    description:
      'Present (true) when this is the stored response of an earlier request with the same Idempotency-Key.',
    schema: { type: 'string', enum: ['true'] },
  },
};

const rateLimited = { 'RateLimit-Policy': header('RateLimit-Policy'), RateLimit: header('RateLimit') };
const requestIdOnly = { 'X-Request-Id': header('X-Request-Id') };
const authenticated = { ...requestIdOnly, ...rateLimited };

const json = (schema: string, examples?: Record<string, unknown>) => ({
  'application/json': { schema: schemaRef(schema), ...(examples ? { examples } : {}) },
});
const single = (value: unknown, summary?: string) => ({
  example: { ...(summary ? { summary } : {}), value },
});

const responses: Record<string, ResponseObject> = {
  BadRequest: {
    description: 'Invalid input or image (nothing charged).',
    headers: authenticated,
    content: json('BadRequestError', errorExamples[400]),
  },
  Unauthorized: {
    description: 'API key missing, malformed, unknown or revoked.',
    headers: requestIdOnly,
    content: json('UnauthorizedError', { unauthorized: responseExamples.unauthorized }),
  },
  PaymentRequired: {
    description:
      'Available balance below the price of the request, checked before any image is downloaded or decoded (for a ' +
      'batch job: below the price of its cheapest item, checked at submission).',
    headers: authenticated,
    content: json('PaymentRequiredError', { paymentRequired: responseExamples.paymentRequired }),
  },
  Forbidden: {
    description: 'The account is suspended.',
    headers: requestIdOnly,
    content: json('ForbiddenError', { forbidden: responseExamples.forbidden }),
  },
  IdempotencyInProgress: {
    description: 'A request with the same Idempotency-Key is still running (after waiting up to 30 s).',
    headers: { ...authenticated, 'Retry-After': header('Retry-After') },
    content: json('IdempotencyInProgressError', single(errorExamples[409])),
  },
  PayloadTooLarge: {
    description: 'JSON body over the size limit.',
    headers: authenticated,
    content: json('PayloadTooLargeError', single(errorExamples[413])),
  },
  IdempotencyKeyReused: {
    description: 'The Idempotency-Key was already used with a different request.',
    headers: authenticated,
    content: json('IdempotencyKeyReusedError', single(errorExamples[422])),
  },
  RateLimited: {
    description:
      "Over this key's rate limit, over the account's (all of its keys together), or too many requests in flight " +
      'for the account (ACCOUNT_MAX_CONCURRENT).',
    headers: { ...authenticated, 'Retry-After': { ...header('Retry-After') } },
    content: json('RateLimitedError', single(errorExamples[429])),
  },
  InternalError: {
    description: 'Unexpected error (nothing charged).',
    headers: requestIdOnly,
    content: json('InternalError', single(errorExamples[500])),
  },
  NotImplemented: {
    description:
      'The server is not configured for this feature (batch jobs need Redis: REDIS_URL); nothing was stored or ' +
      'charged. Not transient: retrying does not help until the operator enables it.',
    headers: authenticated,
    content: json('NotImplementedError', single(errorExamples[501])),
  },
  ServiceUnavailable: {
    description: 'Engine or database unavailable (nothing charged); retry, after Retry-After when present.',
    headers: { ...requestIdOnly, ...rateLimited, 'Retry-After': header('Retry-After') },
    content: json('ServiceUnavailableError', single(errorExamples[503])),
  },
  EngineTimeout: {
    description:
      'The engine did not answer within the deadline (nothing charged); retry with the same Idempotency-Key.',
    headers: authenticated,
    content: json('EngineTimeoutError', single(errorExamples[504])),
  },
  NotFound: {
    description: 'No such route.',
    headers: requestIdOnly,
    content: json('NotFoundError', single(errorExamples[404])),
  },
};

const meteredHeaders = {
  ...authenticated,
  'X-Billing-Charged': header('X-Billing-Charged'),
  'X-Balance-Remaining': header('X-Balance-Remaining'),
  'X-Billing-Currency': header('X-Billing-Currency'),
  'Idempotent-Replayed': header('Idempotent-Replayed'),
};

const meteredErrors = {
  '400': responseRef('BadRequest'),
  '401': responseRef('Unauthorized'),
  '402': responseRef('PaymentRequired'),
  '403': responseRef('Forbidden'),
  '409': responseRef('IdempotencyInProgress'),
  '413': responseRef('PayloadTooLarge'),
  '422': responseRef('IdempotencyKeyReused'),
  '429': responseRef('RateLimited'),
  '500': responseRef('InternalError'),
  '503': responseRef('ServiceUnavailable'),
  '504': responseRef('EngineTimeout'),
};
const readErrors = {
  '401': responseRef('Unauthorized'),
  '403': responseRef('Forbidden'),
  '429': responseRef('RateLimited'),
  '500': responseRef('InternalError'),
  '503': responseRef('ServiceUnavailable'),
};

const idempotencyKey = { $ref: '#/components/parameters/IdempotencyKey' };
const requestIdParam = { $ref: '#/components/parameters/RequestId' };

function metered(op: {
  operationId: string;
  summary: string;
  description: string;
  request: string;
  response: string;
  requestExamples: Record<string, unknown>;
  responseExamples: Record<string, unknown>;
  billing: string;
}): Operation {
  return {
    operationId: op.operationId,
    tags: ['Face'],
    summary: op.summary,
    description: `${op.description}\n\n**Billing:** ${op.billing} Failed or invalid requests are never charged.`,
    parameters: [idempotencyKey, requestIdParam],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: schemaRef(op.request), examples: op.requestExamples } },
    },
    responses: {
      '200': {
        description: 'The engine answered; `billing.charged` says whether the outcome was billable.',
        headers: meteredHeaders,
        content: json(op.response, op.responseExamples),
      },
      ...meteredErrors,
    },
  };
}

// The one-sentence description is info.summary, shown above this by Swagger UI: not repeated here.
const DESCRIPTION = `## Quick start
1. Get an API key: sign up in the [dashboard](/dashboard) (new accounts get $1.00 of trial credit), or use the demo
   account's API key that \`npm start\` prints on its first start.
2. Paste the key in the bar at the top of this page (kept in this browser tab only) or click **Authorize**; it is sent
   as \`X-API-KEY\`. From the dashboard, "Try it in the API docs" next to a new key fills it in.
3. Open an operation, **Try it out**, pick the *sample* example (synthetic images bundled with the docs: a generated ID
   card, selfies and a face, which the engine answers like photos) and **Execute**. The curl command shown can be
   pasted in a terminal as is.

## Images
Each image field is a public \`http(s)\` URL, a \`data:image/...;base64,\` URI or plain base64: JPEG, PNG, WebP, GIF
(first frame), AVIF or TIFF, recognised from their bytes, at most 5 MiB and 40 megapixels. Images are processed in
memory and never stored. URLs must be publicly reachable (private, loopback and metadata addresses are refused).

## Billing
Prepaid balance, success-only: verify $0.25 when verified, analyze $0.30 when at least one face was analysed,
look-alike $0.20 when \`verified\` is true. The price is held before the engine runs (402 if the balance is short) and
captured or released after. Every answer reports \`billing\`, and the headers \`X-Billing-Charged\`,
\`X-Balance-Remaining\` and \`X-Billing-Currency\`.

## Errors
401, 402 and 403 have the published bodies (\`error\`, \`message\`, \`status\`). Every other error uses the envelope
\`{"status": "failed" | "error", "result": "<code>", "message": "…", "hint": "…", "request_id": "…"}\`: \`failed\` means
fix the request, \`error\` means retry later. Every error body, the published ones included, also carries \`hint\`: one
sentence saying what to do, for people, naming an image by its role ("ID document", "Selfie" on verify; "First image",
"Second image" on look-alike). Branch on \`result\`; show \`hint\`. Every response carries \`X-Request-Id\`.

## Retries and idempotency
Send an \`Idempotency-Key\` (any unique string, e.g. a UUID) with each POST: a retry with the same key and body replays
the first result (\`Idempotent-Replayed: true\`) and is never charged twice. Retry 503 and 504 with backoff, and 429 after
\`Retry-After\`. Rate limits per key and per account (all of its keys together) are announced in \`RateLimit-Policy\`
and \`RateLimit\`; an account may also hold only a few requests in flight at once (429 beyond, \`Retry-After: 1\`).`;

/**
 * The OpenAPI 3.1 document of the public API: served at /openapi.json, committed as services/gateway/openapi.json
 * (the SDK's types and the Postman collection are generated from that file), and kept true by tests that validate
 * real responses against it (test/integration/openapi-contract.test.ts).
 */
export function buildOpenApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'DeepFace API',
      version: '1.0.0',
      summary: 'Face verification (ID document vs selfie), facial attribute analysis and look-alike scoring.',
      description: DESCRIPTION,
    },
    servers: [{ url: '/', description: 'This server' }],
    security: [{ ApiKey: [] }],
    tags: [
      { name: 'Face', description: 'Metered face operations (success-only billing).' },
      { name: 'Jobs', description: 'Batches of face operations, run asynchronously, billed per item.' },
      {
        name: 'Account',
        description: 'Balance, prices and the usage ledger of the calling key\u2019s account.',
      },
      { name: 'Operations', description: 'Liveness and readiness probes (no key).' },
    ],
    paths: {
      '/v1/verify': {
        post: metered({
          operationId: 'verify',
          summary: 'Verify an ID document against a selfie',
          description:
            'KYC verification: `img1` is the identity document, `img2` the selfie (roles are recognised from the ' +
            'images, so a swapped pair is verified the same). Before comparing, the engine checks that both images ' +
            'show a face, that one is a document and one a selfie (`id_required` / `selfie_required`), and that the ' +
            'selfie holds exactly one clear face, and that both faces are good enough to compare (`low_quality`, ' +
            'not charged: too small, blurred, badly exposed, glared or turned away; measures in `details.quality`). ' +
            'Use `engine_response.verified` as the result; a lower ' +
            '`details.distance` means more similar. `details.liveness` is a presentation-attack signal on the ' +
            'selfie (`liveness`: `report` by default, `require` refuses a spoof with `liveness_failed`, `off`); ' +
            'it is weak and single-frame: see the `Liveness` schema for what it does not catch. ' +
            '`details.document` says what the document\u2019s ' +
            'machine-readable zone reads: type, countries, check digits, `expired` and `age` on the `as_of` day ' +
            '(default today, UTC); the personal fields (names, number, dates, sex) only with ' +
            '`document_fields: true`, and never stored or logged.',
          request: 'VerifyRequest',
          response: 'VerifyResponse',
          requestExamples: requestExamples.verify,
          responseExamples: {
            verified: responseExamples.verified,
            notVerified: responseExamples.notVerified,
            verifiedWithDocumentFields: responseExamples.verifiedWithDocumentFields,
          },
          billing: '$0.25, only when verified.',
        }),
      },
      '/v1/analyze': {
        post: metered({
          operationId: 'analyze',
          summary: 'Analyse age, gender, race and emotion of every face',
          description:
            'Every face found is analysed independently; `results` holds one object per requested action, each ' +
            'listing every face. No face → 400 `invalid_image`.',
          request: 'AnalyzeRequest',
          response: 'AnalyzeResponse',
          requestExamples: requestExamples.analyze,
          responseExamples: { analysis: responseExamples.analysis },
          billing: '$0.30, when at least one face was analysed.',
        }),
      },
      '/v1/lookalike': {
        post: metered({
          operationId: 'lookalike',
          summary: 'Score the resemblance of two faces',
          description:
            'Look-alike, celebrity or family resemblance: `similarity` 0–100 with a label and a UI hint. Low ' +
            'similarity is a valid result, not an error. `verified` means the faces strongly match.',
          request: 'LookalikeRequest',
          response: 'LookalikeResponse',
          requestExamples: requestExamples.lookalike,
          responseExamples: {
            strongResemblance: responseExamples.strongResemblance,
            lowResemblance: responseExamples.lowResemblance,
          },
          billing: '$0.20, only when `verified` is true.',
        }),
      },
      ...jobPaths,
      '/v1/account': {
        get: {
          operationId: 'getAccount',
          tags: ['Account'],
          summary: "The calling key's account: balance and prices",
          parameters: [requestIdParam],
          responses: {
            '200': {
              description: 'The account.',
              headers: authenticated,
              content: json('AccountResponse', { account: responseExamples.account }),
            },
            ...readErrors,
          },
        },
      },
      '/v1/usage': {
        get: {
          operationId: 'getUsage',
          tags: ['Account'],
          summary: 'The usage ledger, newest first',
          description:
            'Every money movement of the account: `reserve` (price held), `capture` (charged), `release` (hold ' +
            'returned), `credit` and `debit` (top-ups and corrections). Paginate with `next_cursor`.',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              description: 'Entries per page.',
              schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
            {
              name: 'cursor',
              in: 'query',
              description: '`next_cursor` of the previous page.',
              schema: { type: 'string', maxLength: 200 },
            },
            {
              name: 'type',
              in: 'query',
              description: 'Comma-separated entry types to keep, e.g. `capture,credit`.',
              schema: {
                type: 'string',
                pattern: '^(reserve|capture|release|credit|debit)(,(reserve|capture|release|credit|debit))*$',
              },
            },
            requestIdParam,
          ],
          responses: {
            '200': {
              description: 'One page of entries.',
              headers: authenticated,
              content: json('UsageResponse', { usage: responseExamples.usage }),
            },
            '400': responseRef('BadRequest'),
            ...readErrors,
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          tags: ['Operations'],
          summary: 'Liveness: the process is up',
          security: [],
          responses: {
            '200': { description: 'Up.', headers: requestIdOnly, content: json('HealthResponse') },
          },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          tags: ['Operations'],
          summary: 'Readiness: the database answers and the process is not draining',
          security: [],
          responses: {
            '200': { description: 'Ready.', headers: requestIdOnly, content: json('ReadinessResponse') },
            '503': { description: 'Not ready.', headers: requestIdOnly, content: json('ReadinessResponse') },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        ApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'X-API-KEY',
          description:
            'An API key from the dashboard or `pnpm admin key:create`. `df_live_…` keys run the engine and are ' +
            'billed; `df_test_…` keys are free test keys: they accept only the sample images (the _sample_ ' +
            'examples) and answer with their published results, never reaching the engine.',
        },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes retries safe: the same key with the same body replays the first result and is never charged ' +
            'twice; with a different body → 422. Kept 24 h, per account.',
          schema: {
            type: 'string',
            pattern: '^[\\x21-\\x7e]{1,255}$',
            examples: ['0b7e9a40-2f1c-4c51-9a4e-6f4f3c1d2e77'],
          },
        },
        RequestId: {
          name: 'X-Request-Id',
          in: 'header',
          required: false,
          description:
            'Your own request id (8–64 of `A-Za-z0-9._:-`), echoed back; otherwise one is generated.',
          schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,64}$' },
        },
      },
      headers,
      responses,
      schemas: { ...schemas, ...jobSchemas },
    },
    // Every `result` code of the API with its status, body shape and transience (from errors/catalogue.ts): the
    // SDK's error map is generated from it.
    'x-errors': apiErrors,
  };
}
