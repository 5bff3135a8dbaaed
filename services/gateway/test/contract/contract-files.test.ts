import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { buildOpenApiDocument } from '../../src/openapi/document';
import {
  buildPostmanCollection,
  buildPostmanEnvironment,
  dereference,
  resolve,
} from '../../src/openapi/postman';
import { startGateway, type TestGateway } from '../helpers/app';
import { listRoutes } from '../helpers/openapi';

const root = path.join(__dirname, '../..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
type MediaType = { schema: unknown; examples?: Record<string, { value: unknown }> };

const REGENERATE = 'stale: run `pnpm --filter @deepface/gateway openapi` and commit the result';

describe('the committed contract files', () => {
  const document = buildOpenApiDocument();

  it(`openapi.json equals the document the gateway serves (${REGENERATE})`, () => {
    expect(readJson('openapi.json')).toEqual(document);
  });

  it(`the Postman collection and environment are generated from it (${REGENERATE})`, () => {
    expect(readJson('postman/deepface.postman_collection.json')).toEqual(buildPostmanCollection(document));
    expect(readJson('postman/deepface.postman_environment.json')).toEqual(buildPostmanEnvironment());
  });

  it('every example in the document is valid against its schema', () => {
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    const problems: string[] = [];
    let checked = 0;
    const checkMedia = (where: string, media: MediaType | undefined) => {
      if (!media) return;
      const validate = ajv.compile(dereference(document, media.schema) as object);
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        checked++;
        if (!validate(example.value)) problems.push(`${where} ${name}: ${ajv.errorsText(validate.errors)}`);
      }
    };
    for (const item of Object.values(document.paths)) {
      for (const op of Object.values(item)) {
        const requestBody = op.requestBody as { content: Record<string, MediaType> } | undefined;
        checkMedia(`${op.operationId} request`, requestBody?.content['application/json']);
        for (const [status, raw] of Object.entries(op.responses)) {
          const response = resolve(document, raw) as { content?: Record<string, MediaType> };
          checkMedia(`${op.operationId} ${status}`, response.content?.['application/json']);
        }
      }
    }
    expect(checked).toBeGreaterThan(25);
    expect(problems).toEqual([]);
  });
});

describe('/openapi.json and /docs', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ db: 'sqlite' });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('serves the document without a key', async () => {
    const res = await request(gw.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(readJson('openapi.json'));
  });

  it('serves Swagger UI from the local package under a CSP that allows only this origin', async () => {
    const page = await request(gw.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(page.text).not.toMatch(/https?:\/\/(?!schema)/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const bundle = await request(gw.app).get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect((await request(gw.app).get('/docs/assets/package.json')).status).toBe(404);
    expect((await request(gw.app).get('/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('offers the Postman collection and an environment pointing at the public origin, never the Host sent', async () => {
    const collection = await request(gw.app).get('/docs/postman/collection.json');
    expect(collection.body.info.name).toBe('DeepFace API');
    const env = await request(gw.app).get('/docs/postman/environment.json').set('Host', 'evil.example');
    expect(env.body.values[0]).toMatchObject({ key: 'base_url', value: 'http://localhost:8080' });
    const configured = await startGateway({
      db: 'sqlite',
      env: { PUBLIC_ORIGIN: 'https://api.example.test' },
    });
    try {
      const res = await request(configured.app)
        .get('/docs/postman/environment.json')
        .set('Host', 'evil.example');
      expect(res.body.values[0]).toMatchObject({ key: 'base_url', value: 'https://api.example.test' });
    } finally {
      await configured.close();
    }
  });
});

describe('coverage of the public API', () => {
  /** Public routes not documented yet, each with its reason; anything else undocumented fails. */
  const PENDING: Record<string, string> = {};

  it('every route under /v1, /healthz and /readyz is in the OpenAPI document', async () => {
    const gw = await startGateway({ db: 'sqlite' });
    try {
      const document = buildOpenApiDocument();
      const routes = listRoutes(gw.app as unknown as Parameters<typeof listRoutes>[0])
        .map((r) => r.replace(/:(\w+)/g, '{$1}'))
        .filter((r) => / \/(v1\/|healthz$|readyz$)/.test(r));
      expect(routes).toContain('POST /v1/verify');
      const undocumented = routes.filter((r) => {
        const [method, p] = r.split(' ') as [string, string];
        return !document.paths[p]?.[method.toLowerCase()] && !(r in PENDING);
      });
      expect(undocumented).toEqual([]);
    } finally {
      await gw.close();
    }
  });
});
