import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { OpenApiDocument } from '../../src/openapi/types';
import { dereference } from '../../src/openapi/postman';
import { type RequestSchemaName, requestSchemas, zodComponents } from '../../src/openapi/requests';

/**
 * The request components of the committed openapi.json against the zod schemas the gateway validates with: the
 * published ones are the generated ones, and both accept exactly the same bodies (zod's refinements, which
 * z.toJSONSchema cannot see, are hand-written JSON Schema in src/openapi/requests.ts: this is what checks them).
 */
const committed = JSON.parse(
  readFileSync(path.join(__dirname, '../../openapi.json'), 'utf8'),
) as OpenApiDocument;
const NAMES = Object.keys(zodComponents) as RequestSchemaName[];
const SEED = 20261206;

type Json = Record<string, unknown>;
const url = (length: number) => `https://example.com/${'a'.repeat(length - 20)}`;
/** Strings at every edge the request schemas draw: blank, URL length, scheme, dates, enum near-misses. */
const STRINGS = [
  '',
  ' ',
  '\t\n\u00a0\ufeff',
  'a',
  'aGVsbG8=',
  'data:image/png;base64,aGVsbG8=',
  'https://example.com/a.jpg',
  '  HtTpS://example.com/a.jpg ',
  'http://',
  'ftp://example.com/a.jpg',
  url(2048),
  url(2049),
  ` ${url(2048)}\n`,
  ` ${url(2049)} `,
  '2026-12-06',
  '2024-02-29',
  '2025-02-29',
  '2025-02-30',
  '2026-13-01',
  '2026-1-06',
  '12026-12-06',
  '2026-12-06T00:00:00Z',
  '\u0662\u0660\u0662\u0666-12-06',
  'report',
  'require',
  'off',
  'REPORT',
  'verify',
  'analyze',
  'lookalike',
  'age',
  'emotion',
  'smile',
];
const junk = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant({}), fc.string());
const text = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...STRINGS) }, fc.string({ maxLength: 8 }));

/** Bodies near the schema's edges: built from its shape (mostly complete), some with fields missing or unknown. */
function arbitrary(schema: Json, depth = 0): fc.Arbitrary<unknown> {
  const branches = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (branches && !schema.type) return fc.oneof(...branches.map((b) => arbitrary(b, depth)));
  if (schema.type === 'object') {
    const fields = Object.fromEntries(
      Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([name, field]) => [
        name,
        arbitrary(field, depth + 1),
      ]),
    );
    const complete = fc.record(fields, { requiredKeys: (schema.required ?? []) as string[] });
    const loose = fc.record({ ...fields, unknown: junk }, { requiredKeys: [] });
    return fc.oneof({ weight: 6, arbitrary: complete }, { weight: 3, arbitrary: loose }, junk);
  }
  if (schema.type === 'array') {
    const items = arbitrary(schema.items as Json, depth + 1);
    return fc.oneof({ weight: 9, arbitrary: fc.array(items, { maxLength: 3 }) }, junk);
  }
  if (schema.type === 'boolean') return fc.oneof({ weight: 4, arbitrary: fc.boolean() }, junk);
  if (schema.type === 'string') {
    const values = (schema.enum ?? (schema.const === undefined ? [] : [schema.const])) as string[];
    const named = values.length ? [{ weight: 9, arbitrary: fc.constantFrom(...values) }] : [];
    return fc.oneof(...named, { weight: 9, arbitrary: text }, junk);
  }
  return junk;
}

describe('request components: generated from the zod schemas', () => {
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));

  it.each(NAMES)(
    '%s in openapi.json is the one generated from zod (else: pnpm --filter @deepface/gateway openapi)',
    (name) => {
      expect(committed.components.schemas[name]).toEqual(requestSchemas[name]);
    },
  );

  it.each(NAMES)('%s accepts exactly the bodies its zod schema accepts', (name) => {
    const published = dereference(committed, committed.components.schemas[name]) as Json;
    const validate = ajv.compile(published);
    const { zod } = zodComponents[name];
    const disagree = (body: unknown) => zod.safeParse(body).success !== validate(body);
    // Sanity: the generator reaches both answers for this component.
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(arbitrary(published), (body) => {
        if (zod.safeParse(body).success) seen.accepted++;
        else seen.refused++;
        return !disagree(body);
      }),
      { seed: SEED, numRuns: 3000 },
    );
    expect(seen.accepted).toBeGreaterThan(30);
    expect(seen.refused).toBeGreaterThan(30);
  });

  it('agrees on the bounds the generator does not reach', () => {
    const items = (n: number) =>
      Array.from({ length: n }, () => ({ type: 'verify', img1: 'https://e.com/a', img2: 'aGVsbG8=' }));
    const validate = ajv.compile(
      dereference(committed, committed.components.schemas.JobSubmitRequest) as Json,
    );
    const zod = zodComponents.JobSubmitRequest.zod;
    for (const body of [
      { items: items(1000) },
      { items: items(1001) },
      { items: [], webhook_url: url(2049) },
    ]) {
      expect(validate(body)).toBe(zod.safeParse(body).success);
    }
    expect(validate({ items: items(1001) })).toBe(false);
  });

  // Date.UTC reads the years 0-99 as 19xx; isoDay once refused 0001-0099 that `format: date` allows.
  it('as_of in the years 0000-0099: zod and the document agree', () => {
    const validate = ajv.compile(dereference(committed, committed.components.schemas.VerifyRequest) as Json);
    for (const as_of of ['0099-12-31', '0001-01-01', '0000-02-29', '0001-02-29']) {
      const body = { img1: 'aGVsbG8=', img2: 'aGVsbG8=', as_of };
      expect([as_of, zodComponents.VerifyRequest.zod.safeParse(body).success]).toEqual([
        as_of,
        as_of === '0001-02-29' ? false : validate(body),
      ]);
    }
  });
});
