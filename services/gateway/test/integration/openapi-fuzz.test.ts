import type { LookupAddress } from 'node:dns';
import fc from 'fast-check';
import request from 'supertest';
import type { LookupFn } from '../../src/clients/image-fetcher';
import { SAMPLE_FACE, SAMPLE_SELFIE } from '../../src/openapi/samples';
import { pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import { ContractValidator } from '../helpers/openapi';

/**
 * Contract fuzzing (reliability item 31): valid and mutated requests per operation, generated with a fixed seed,
 * must never get a 5xx and never a response that breaks the OpenAPI document. The fake engine answers valid
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

/** Valid bodies, then each mutated: a field dropped, retyped, or an unknown field added. */
function bodies(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const valid = fc.record(fields, { requiredKeys: Object.keys(fields).filter((k) => k !== 'actions') });
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

const OPERATIONS = [
  { path: '/v1/verify', body: bodies({ img1: image, img2: image }) },
  { path: '/v1/lookalike', body: bodies({ img1: image, img2: image }) },
  { path: '/v1/analyze', body: bodies({ image, actions }) },
];

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
