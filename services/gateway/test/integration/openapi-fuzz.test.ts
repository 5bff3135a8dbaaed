import type { LookupAddress } from 'node:dns';
import fc from 'fast-check';
import request from 'supertest';
import type { LookupFn } from '../../src/platform/fetch/image-fetcher';
import { buildOpenApiDocument } from '../../src/openapi/document';
import { SAMPLE_FACE, SAMPLE_SELFIE } from '../../src/openapi/samples';
import { pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { ContractValidator } from '../helpers/openapi';

/**
 * Contract fuzzing (reliability item 31): valid and mutated requests per operation, generated from the OpenAPI
 * document's request schemas with a fixed seed, must never get a 5xx and never a response that breaks the OpenAPI document. The fake engine answers valid
 * images; every host name resolves to a private address (refused before any connection), so no request leaves
 * the machine.
 */
const SEED = 20260105;
const RUNS = 1500;

const privateDns: LookupFn = (_hostname, options, callback) => {
  const answer: LookupAddress = { address: '10.0.0.7', family: 4 };
  if (options.all) return callback(null, [answer]);
  return callback(null, answer.address, answer.family);
};

const tinyPng = pngImage(8, 8).toString('base64');
const image = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(SAMPLE_SELFIE, SAMPLE_FACE, tinyPng, `data:image/png;base64,${tinyPng}`),
  },
  fc.constantFrom(
    'https://images.example.com/face.jpg',
    'http://127.0.0.1:8080/v1/account',
    'http://169.254.169.254/latest/meta-data',
    'ftp://example.com/a.jpg',
    'file:///etc/passwd',
    'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=',
    '',
    '   ',
    'not base64 !!',
  ),
  fc.string({ maxLength: 40 }),
  fc.base64String({ maxLength: 64 }),
);
const junk = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);
const actions = fc.oneof(
  fc.subarray(['age', 'gender', 'race', 'emotion'], { minLength: 1 }),
  fc.array(fc.constantFrom('age', 'emotion', 'AGE', 'smile', ''), { maxLength: 5 }),
  junk,
);

interface Schema {
  $ref?: string;
  type?: string;
  description?: string;
  enum?: string[];
  minItems?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

const DOCUMENT = buildOpenApiDocument();
const schemas = (DOCUMENT.components as { schemas: Record<string, Schema> }).schemas;
const IMAGE_TEXT = schemas.ImageInput?.description ?? 'no image input schema';
const deref = (schema: Schema): Schema =>
  schema.$ref ? deref(schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {}) : schema;

/** A generator for one request field, from its schema: image inputs get images (and broken ones), enums their values. */
function fieldArbitrary(raw: Schema): fc.Arbitrary<unknown> {
  const schema = deref(raw);
  if (schema.type === 'string' && schema.description?.includes(IMAGE_TEXT)) return image;
  if (schema.type === 'string') return schema.enum ? fc.constantFrom(...schema.enum) : fc.string();
  if (schema.type === 'array' && schema.items) {
    const items = deref(schema.items);
    const valid = items.enum
      ? fc.subarray(items.enum, { minLength: schema.minItems ?? 0 })
      : fc.array(fieldArbitrary(items), { minLength: schema.minItems ?? 0, maxLength: 5 });
    return fc.oneof(valid, actions, junk);
  }
  return junk;
}

/** Valid bodies built from the request schema, then each mutated: a field dropped, retyped, or an unknown field added. */
function bodies(raw: Schema): fc.Arbitrary<unknown> {
  const schema = deref(raw);
  const fields = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, field]) => [name, fieldArbitrary(field)]),
  );
  const valid = fc.record(fields, { requiredKeys: schema.required ?? [] });
  const mutated = fc
    .tuple(
      valid,
      fc.constantFrom(...Object.keys(fields), 'extra'),
      junk,
      fc.constantFrom('drop', 'retype', 'add'),
    )
    .map(([body, key, value, how]) => {
      const copy = { ...(body as Record<string, unknown>) };
      if (how === 'drop') delete copy[key];
      else if (how === 'retype') copy[key] = value;
      else copy[`${key}_x`] = value;
      return copy;
    });
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: mutated, weight: 3 },
    { arbitrary: junk, weight: 1 },
  );
}

/**
 * Every POST operation of the document with a JSON body, except batch submission: it needs the BullMQ stack and
 * is checked against the document by the jobs contract tests.
 */
const OPERATIONS = Object.entries(DOCUMENT.paths)
  .filter(([path, item]) => item.post && path !== '/v1/jobs')
  .map(([path, item]) => {
    const body = (item.post as { requestBody?: { content: Record<string, { schema: Schema }> } }).requestBody;
    return { path, body: bodies(body?.content['application/json']?.schema ?? {}) };
  });

describe('contract fuzzing: generated requests never get a 5xx or an undocumented answer', () => {
  let gw: TestGateway;
  let key: string;
  const contract = new ContractValidator();

  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite', lookup: privateDns, env: { IMAGE_FETCH_TIMEOUT_MS: '1000' } });
    ({ key } = await createCustomer(gw, { balanceMicros: 1_000_000_000 }));
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('covers every POST operation of the document but batch jobs', () => {
    expect(OPERATIONS.map((o) => o.path).sort()).toEqual(['/v1/analyze', '/v1/lookalike', '/v1/verify']);
  });

  it.each(OPERATIONS)('POST $path', async ({ path, body }) => {
    const statuses = new Map<number, number>();
    const headerValue = fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        headerValue,
        fc.constantFrom('application/json', 'text/plain', undefined),
        async (payload, idem, type) => {
          let req = request(gw.app).post(path).set('X-API-KEY', key);
          if (idem !== undefined) req = req.set('Idempotency-Key', idem.replace(/[\r\n]/g, ''));
          const res =
            type === undefined
              ? await req.send(JSON.stringify(payload)).set('Content-Type', 'application/json')
              : await req.set('Content-Type', type).send(JSON.stringify(payload));
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const problems = contract.check('post', path, {
            status: res.status,
            headers: res.headers,
            body: res.body,
          });
          return res.status < 500 && problems.length === 0;
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator reaches both sides: accepted requests and refused ones.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });

  it('GET /v1/usage', async () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.string({ maxLength: 30 }));
    const type = fc.oneof(
      fc.constantFrom('capture', 'reserve,capture', 'credit,debit,release', 'nope'),
      fc.string(),
    );
    const query = fc.record(
      { limit: value, cursor: fc.oneof(fc.base64String({ maxLength: 20 }), fc.string()), type },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await request(gw.app).get('/v1/usage').query(q).set('X-API-KEY', key);
        const problems = contract.check('get', '/v1/usage', {
          status: res.status,
          headers: res.headers,
          body: res.body,
        });
        return res.status < 500 && problems.length === 0;
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
