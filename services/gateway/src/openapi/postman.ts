import type { OpenApiDocument, Operation, ResponseObject } from './types';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE, SAMPLE_SELFIE_2 } from './samples';

/**
 * A Postman collection (v2.1) generated from the OpenAPI document: one request per operation plus the two
 * error cases anyone hits first, each with tests (status, X-Request-Id, and the body checked against the
 * operation's response schema, inlined from the document). Committed as services/gateway/postman/; a test keeps
 * the files equal to this output and runs the collection with newman against a live gateway.
 */
type Json = Record<string, unknown>;

const COLLECTION_ID = '6f1d3f4e-8c57-4a7e-9b0e-2d4c5a1e7b90';
const ENVIRONMENT_ID = 'b1c3e2a4-5d6f-4e8a-9b0c-1d2e3f4a5b6c';

/** The target of a local `{ $ref }` (followed until it is not one), or the value itself. */
export function resolve(document: OpenApiDocument, value: unknown): unknown {
  const ref = (value as { $ref?: unknown } | null)?.$ref;
  if (typeof ref !== 'string') return value;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
  if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
  return resolve(document, target);
}

/** Replaces every local $ref by its target (no examples or descriptions), for self-contained schemas. */
export function dereference(document: OpenApiDocument, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => dereference(document, v));
  if (!value || typeof value !== 'object') return value;
  if (typeof (value as { $ref?: unknown }).$ref === 'string')
    return dereference(document, resolve(document, value));
  return Object.fromEntries(
    Object.entries(value as Json)
      .filter(([key]) => key !== 'examples' && key !== 'description')
      .map(([k, v]) => [k, dereference(document, v)]),
  );
}

function operation(document: OpenApiDocument, path: string, method: string): Operation {
  const op = document.paths[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the OpenAPI document`);
  return op;
}

function responseSchema(document: OpenApiDocument, op: Operation, status: number): unknown {
  const response = dereference(document, op.responses[String(status)]) as ResponseObject | undefined;
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${op.operationId} documents no JSON body for ${status}`);
  return schema;
}

interface RequestSpec {
  name: string;
  /** The OpenAPI path (template) of the operation. */
  path: string;
  /** The request's path when it differs from the template, e.g. with a {{variable}}. */
  url?: string;
  method: 'get' | 'post';
  status: number;
  body?: Json;
  query?: Array<{ key: string; value: string }>;
  noAuth?: boolean;
  extraTests?: string[];
  description?: string;
}

function item(document: OpenApiDocument, spec: RequestSpec): Json {
  const op = operation(document, spec.path, spec.method);
  const schema = responseSchema(document, op, spec.status);
  const tests = [
    `pm.test('status is ${spec.status}', function () {`,
    `  pm.response.to.have.status(${spec.status});`,
    '});',
    "pm.test('every response carries X-Request-Id', function () {",
    "  pm.response.to.have.header('X-Request-Id');",
    '});',
    `pm.test('the body matches the OpenAPI schema (${op.operationId} ${spec.status})', function () {`,
    `  var schema = ${JSON.stringify(schema)};`,
    '  pm.response.to.have.jsonSchema(schema);',
    '});',
    ...(spec.extraTests ?? []),
  ];
  const headers = [
    ...(spec.body ? [{ key: 'Content-Type', value: 'application/json' }] : []),
    ...(spec.method === 'post' && !spec.noAuth
      ? [{ key: 'Idempotency-Key', value: '{{$guid}}', description: 'Makes retries safe (optional).' }]
      : []),
  ];
  const url = spec.url ?? spec.path;
  const segments = url.split('/').filter(Boolean);
  const query = spec.query ?? [];
  const qs = query.length ? `?${query.map((q) => `${q.key}=${q.value}`).join('&')}` : '';
  return {
    name: spec.name,
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: tests } }],
    request: {
      ...(spec.noAuth ? { auth: { type: 'noauth' } } : {}),
      method: spec.method.toUpperCase(),
      header: headers,
      ...(spec.body
        ? {
            body: {
              mode: 'raw',
              raw: JSON.stringify(spec.body, null, 2),
              options: { raw: { language: 'json' } },
            },
          }
        : {}),
      url: {
        raw: `{{base_url}}${url}${qs}`,
        host: ['{{base_url}}'],
        path: segments,
        ...(query.length ? { query } : {}),
      },
      description: spec.description ?? [op.summary, op.description].filter(Boolean).join('\n\n'),
    },
    response: [],
  };
}

export function buildPostmanCollection(document: OpenApiDocument): Json {
  const info = document.info as { title: string; summary: string; description: string };
  const face: RequestSpec[] = [
    {
      name: 'Verify an ID document against a selfie',
      path: '/v1/verify',
      method: 'post',
      status: 200,
      body: { img1: '{{id_image}}', img2: '{{selfie_image}}' },
      extraTests: [
        "pm.test('billing is reported in the body and headers', function () {",
        '  var body = pm.response.json();',
        "  pm.expect(body.billing.currency).to.eql('USD');",
        "  pm.expect(pm.response.headers.get('X-Billing-Charged')).to.eql(body.billing.charged.toFixed(2));",
        '});',
      ],
    },
    {
      name: "Verify, with the document's personal fields",
      path: '/v1/verify',
      method: 'post',
      status: 200,
      body: {
        img1: '{{id_image}}',
        img2: '{{selfie_image}}',
        document_fields: true,
        as_of: '2026-12-06',
      },
      extraTests: [
        "pm.test('the document data holds its personal fields when the zone was read', function () {",
        '  var document = pm.response.json().engine_response.details.document;',
        "  if (document && document.mrz === 'read') pm.expect(document.fields).to.be.an('object');",
        '});',
      ],
      description:
        "details.document says what the document's machine-readable zone reads (type, countries, check digits, " +
        'expiry and age on the as_of day); document_fields adds the names, number, dates and sex. They are never ' +
        'stored or logged.',
    },
    {
      name: "Verify, with the selfie's liveness signal",
      path: '/v1/verify',
      method: 'post',
      status: 200,
      body: { img1: '{{id_image}}', img2: '{{selfie_image}}', liveness: 'report' },
      extraTests: [
        "pm.test('the liveness signal has a score and a decision', function () {",
        '  var liveness = pm.response.json().engine_response.details.liveness;',
        '  pm.expect(liveness.score).to.be.within(0, 1);',
        "  pm.expect(['live', 'spoof', 'undecided']).to.include(liveness.decision);",
        '});',
      ],
      description:
        'liveness: "report" (the default) answers a presentation-attack signal on the selfie; "require" refuses a ' +
        'selfie decided spoof with 400 liveness_failed (not charged); "off" skips it. A weak single-frame ' +
        'signal: see the Liveness schema for what it does not catch.',
    },
    {
      name: 'Analyse a face',
      path: '/v1/analyze',
      method: 'post',
      status: 200,
      body: { image: '{{face_image}}', actions: ['age', 'gender', 'race', 'emotion'] },
      extraTests: [
        "pm.test('one result per requested action, in order', function () {",
        '  var keys = pm.response.json().results.map(function (r) { return Object.keys(r)[0]; });',
        "  pm.expect(keys).to.eql(['age', 'gender', 'race', 'emotion']);",
        '});',
      ],
    },
    {
      name: 'Score the resemblance of two faces',
      path: '/v1/lookalike',
      method: 'post',
      status: 200,
      body: { img1: '{{selfie_image}}', img2: '{{selfie_image_2}}' },
    },
  ];
  const jobs: RequestSpec[] = [
    {
      name: 'Submit a batch job',
      path: '/v1/jobs',
      method: 'post',
      status: 202,
      body: {
        items: [
          { type: 'verify', img1: '{{id_image}}', img2: '{{selfie_image}}' },
          { type: 'analyze', image: '{{face_image}}', actions: ['age', 'emotion'] },
        ],
      },
      extraTests: [
        "pm.test('the job is announced in Location', function () {",
        '  var job = pm.response.json();',
        "  pm.expect(pm.response.headers.get('Location')).to.eql('/v1/jobs/' + job.id);",
        "  pm.collectionVariables.set('job_id', job.id);",
        '});',
      ],
    },
    {
      name: 'Get the batch job',
      path: '/v1/jobs/{id}',
      url: '/v1/jobs/{{job_id}}',
      method: 'get',
      status: 200,
      extraTests: [
        "pm.test('every item is listed with its result', function () {",
        '  var job = pm.response.json();',
        '  pm.expect(job.items.length).to.eql(job.progress.total);',
        '});',
      ],
    },
  ];
  const account: RequestSpec[] = [
    { name: 'Get the account', path: '/v1/account', method: 'get', status: 200 },
    {
      name: 'List usage',
      path: '/v1/usage',
      method: 'get',
      status: 200,
      query: [{ key: 'limit', value: '20' }],
    },
  ];
  const errors: RequestSpec[] = [
    {
      name: 'Missing API key → 401',
      path: '/v1/verify',
      method: 'post',
      status: 401,
      noAuth: true,
      body: { img1: '{{id_image}}', img2: '{{selfie_image}}' },
      description:
        'Every request needs X-API-KEY; without it the answer is 401 before anything else happens.',
    },
    {
      name: 'Missing field → 400 invalid_input',
      path: '/v1/verify',
      method: 'post',
      status: 400,
      body: { img1: '{{id_image}}' },
      extraTests: [
        "pm.test('the result names the error', function () {",
        "  pm.expect(pm.response.json().result).to.eql('invalid_input');",
        '});',
      ],
      description: 'A request that cannot be used is refused with 400 and never charged.',
    },
    {
      name: 'Date that does not exist → 400 invalid_input',
      path: '/v1/verify',
      method: 'post',
      status: 400,
      body: { img1: '{{id_image}}', img2: '{{selfie_image}}', as_of: '2026-02-30' },
      extraTests: [
        "pm.test('the message names the field', function () {",
        '  pm.expect(pm.response.json().message).to.match(/as_of/);',
        '});',
      ],
      description: 'as_of is a calendar day, YYYY-MM-DD, that exists.',
    },
  ];
  return {
    info: {
      _postman_id: COLLECTION_ID,
      name: info.title,
      description: `${info.summary}\n\n${info.description}\n\nSet \`base_url\` and \`api_key\` in the environment (deepface.postman_environment.json). The image variables hold small sample images; replace them with your own URLs or base64.`,
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    auth: {
      type: 'apikey',
      apikey: [
        { key: 'key', value: 'X-API-KEY', type: 'string' },
        { key: 'value', value: '{{api_key}}', type: 'string' },
        { key: 'in', value: 'header', type: 'string' },
      ],
    },
    item: [
      { name: 'Face', item: face.map((s) => item(document, s)) },
      { name: 'Jobs', item: jobs.map((s) => item(document, s)) },
      { name: 'Account', item: account.map((s) => item(document, s)) },
      { name: 'Errors', item: errors.map((s) => item(document, s)) },
    ],
    variable: [
      { key: 'id_image', value: SAMPLE_ID_CARD, description: 'ID document: URL, data URI or base64.' },
      { key: 'selfie_image', value: SAMPLE_SELFIE, description: 'Selfie: URL, data URI or base64.' },
      { key: 'selfie_image_2', value: SAMPLE_SELFIE_2, description: 'Another photo of the same person.' },
      { key: 'face_image', value: SAMPLE_FACE, description: 'A face to analyse.' },
      { key: 'job_id', value: '', description: 'Set by "Submit a batch job".' },
    ],
  };
}

export function buildPostmanEnvironment(baseUrl = 'http://localhost:8080'): Json {
  return {
    id: ENVIRONMENT_ID,
    name: 'DeepFace API (local)',
    values: [
      { key: 'base_url', value: baseUrl, type: 'default', enabled: true },
      { key: 'api_key', value: '', type: 'secret', enabled: true },
    ],
    _postman_variable_scope: 'environment',
  };
}
