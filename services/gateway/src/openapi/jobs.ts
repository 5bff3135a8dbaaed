import { hintFor } from '../platform/errors/catalogue';
import type { Operation } from './types';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE } from './samples';
import { requestSchemas } from './requests';
import type { Schema } from './schemas';

/** Batch jobs (POST /v1/jobs, GET /v1/jobs/{id}) in the OpenAPI document: their schemas and operations. */
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const dateTime: Schema = { type: 'string', format: 'date-time' };
const request = requestSchemas;

export const jobSchemas: Record<string, Schema> = {
  JobItem: request.JobItem,
  JobSubmitRequest: request.JobSubmitRequest,
  JobItemResult: {
    type: 'object',
    required: ['index', 'type', 'status', 'http_status', 'charged', 'result'],
    additionalProperties: false,
    properties: {
      index: { type: 'integer', minimum: 0 },
      type: { type: 'string', enum: ['verify', 'analyze', 'lookalike'] },
      status: { type: 'string', enum: ['pending', 'succeeded', 'failed'] },
      http_status: nullable({
        type: 'integer',
        description: 'What the synchronous endpoint would have answered.',
      }),
      charged: { type: 'number', minimum: 0 },
      result: nullable({
        description: "The synchronous endpoint's body for this item: its answer or its error.",
        anyOf: [
          ref('VerifyResponse'),
          ref('AnalyzeResponse'),
          ref('LookalikeResponse'),
          ref('BadRequestError'),
          ref('PaymentRequiredError'),
          ref('ForbiddenError'),
          ref('RateLimitedError'),
          ref('InternalError'),
          ref('ServiceUnavailableError'),
          ref('EngineTimeoutError'),
        ],
      }),
    },
  },
  Job: {
    type: 'object',
    required: [
      'id',
      'object',
      'status',
      'created_at',
      'completed_at',
      'expires_at',
      'progress',
      'billing',
      'webhook',
    ],
    additionalProperties: false,
    properties: {
      id: { type: 'string', pattern: '^job_[0-9A-Za-z]{1,40}$' },
      object: { type: 'string', enum: ['job'] },
      status: { type: 'string', enum: ['queued', 'running', 'completed'] },
      created_at: dateTime,
      completed_at: nullable(dateTime),
      expires_at: {
        ...dateTime,
        description: 'The job and its results are deleted after this (JOBS_TTL_H).',
      },
      progress: {
        type: 'object',
        required: ['total', 'completed', 'succeeded', 'failed'],
        additionalProperties: false,
        properties: {
          total: { type: 'integer', minimum: 0 },
          completed: { type: 'integer', minimum: 0 },
          succeeded: { type: 'integer', minimum: 0 },
          failed: { type: 'integer', minimum: 0 },
        },
      },
      billing: ref('Billing'),
      webhook: nullable({
        type: 'object',
        required: ['url', 'status', 'attempts'],
        additionalProperties: false,
        properties: {
          url: { type: 'string' },
          status: nullable({ type: 'string', enum: ['pending', 'delivered', 'failed'] }),
          attempts: { type: 'integer', minimum: 0 },
          secret: {
            type: 'string',
            description: 'Signing secret of the webhook: only in the answer to the submission.',
          },
        },
      }),
      items: { type: 'array', items: ref('JobItemResult'), description: 'GET only: every item, in order.' },
    },
  },
};

const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const authenticated = {
  'X-Request-Id': header('X-Request-Id'),
  'RateLimit-Policy': header('RateLimit-Policy'),
  RateLimit: header('RateLimit'),
};

const submitted = {
  id: 'job_7Qm2xL0pVt9sKd3aZr8Hn1Wy',
  object: 'job',
  status: 'queued',
  created_at: '2026-01-05T10:00:00.000Z',
  completed_at: null,
  expires_at: '2026-01-08T10:00:00.000Z',
  progress: { total: 2, completed: 1, succeeded: 1, failed: 0 },
  billing: { charged: 0.25, currency: 'USD' },
  webhook: {
    url: 'https://example.com/hooks/deepface',
    status: 'pending',
    attempts: 0,
    secret: 'whsec_2b7d0c1e9f4a4d8c9e1f0a3b5c7d9e1f',
  },
};

export const jobPaths: Record<string, Record<string, Operation>> = {
  '/v1/jobs': {
    post: {
      operationId: 'submitJob',
      tags: ['Jobs'],
      summary: 'Submit a batch of verify, analyze and look-alike items',
      description:
        'Answers 202 at once with the job (`Location: /v1/jobs/{id}`). Each item runs exactly like its synchronous ' +
        'endpoint and is billed like it, once, however often it is retried. Poll GET /v1/jobs/{id} or pass a ' +
        '`webhook_url`. With an `Idempotency-Key`, a retried submission resumes the same job. Needs Redis on the ' +
        'server (else 501 jobs_not_enabled). 402 when the balance cannot pay for one item; each item is checked again before its ' +
        'downloads (402 as its result once funds run out). Every URL item counts as a request against the ' +
        "account's rate limit (the job waits for the window); a failed download is retried at most once, and only " +
        'after a timeout, a broken connection or a 5xx.',
      parameters: [
        { $ref: '#/components/parameters/IdempotencyKey' },
        { $ref: '#/components/parameters/RequestId' },
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: ref('JobSubmitRequest'),
            examples: {
              urls: {
                summary: 'Template: URL items and a webhook',
                value: {
                  items: [
                    {
                      type: 'verify',
                      img1: 'https://example.com/id-1.jpg',
                      img2: 'https://example.com/selfie-1.jpg',
                    },
                    { type: 'analyze', image: 'https://example.com/face.jpg', actions: ['age', 'emotion'] },
                  ],
                  webhook_url: 'https://example.com/hooks/deepface',
                },
              },
              sample: {
                summary: 'Sample images inline (run during the submission)',
                value: {
                  items: [
                    { type: 'verify', img1: SAMPLE_ID_CARD, img2: SAMPLE_SELFIE },
                    { type: 'analyze', image: SAMPLE_FACE, actions: ['age', 'emotion'] },
                  ],
                },
              },
            },
          },
        },
      },
      responses: {
        '202': {
          description: 'Accepted: the job, its progress so far and the webhook secret (shown once).',
          headers: {
            ...authenticated,
            Location: { description: 'The job: /v1/jobs/{id}.', required: true, schema: { type: 'string' } },
            'Idempotent-Replayed': header('Idempotent-Replayed'),
          },
          content: {
            'application/json': { schema: ref('Job'), examples: { submitted: { value: submitted } } },
          },
        },
        '400': responseRef('BadRequest'),
        '401': responseRef('Unauthorized'),
        '402': responseRef('PaymentRequired'),
        '403': responseRef('Forbidden'),
        '409': responseRef('IdempotencyInProgress'),
        '413': responseRef('PayloadTooLarge'),
        '422': responseRef('IdempotencyKeyReused'),
        '429': responseRef('RateLimited'),
        '500': responseRef('InternalError'),
        '501': responseRef('NotImplemented'),
        '503': responseRef('ServiceUnavailable'),
      },
    },
  },
  '/v1/jobs/{id}': {
    get: {
      operationId: 'getJob',
      tags: ['Jobs'],
      summary: 'A batch job with every item’s result',
      description:
        "Only the caller's account's jobs; another account's, an unknown or an expired one is 404.",
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { $ref: '#/components/parameters/RequestId' },
      ],
      responses: {
        '200': {
          description: 'The job with its items.',
          headers: authenticated,
          content: {
            'application/json': {
              schema: ref('Job'),
              examples: {
                completed: {
                  value: {
                    ...submitted,
                    status: 'completed',
                    completed_at: '2026-01-05T10:00:04.000Z',
                    progress: { total: 1, completed: 1, succeeded: 0, failed: 1 },
                    billing: { charged: 0, currency: 'USD' },
                    webhook: null,
                    items: [
                      {
                        index: 0,
                        type: 'verify',
                        status: 'failed',
                        http_status: 400,
                        charged: 0,
                        result: {
                          status: 'failed',
                          result: 'id_required',
                          message: 'Please upload one ID image.',
                          hint: hintFor('id_required'),
                          request_id: 'job_7Qm2xL0pVt9sKd3aZr8Hn1Wy.0',
                        },
                      },
                    ],
                  },
                },
              },
            },
          },
        },
        '401': responseRef('Unauthorized'),
        '403': responseRef('Forbidden'),
        '404': responseRef('NotFound'),
        '429': responseRef('RateLimited'),
        '500': responseRef('InternalError'),
        '503': responseRef('ServiceUnavailable'),
      },
    },
  },
};
