import { API_ERRORS } from '@deepface/sdk';
import { Reason } from '@deepface/proto';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '../../openapi/document';
import { dereference } from '../../openapi/postman';
import { CatalogueError } from './app-error';
import { codeForEngineReason, ERROR_CODES, errorEntry, type ReasonName } from './catalogue';
import { renderError } from './render';

const document = buildOpenApiDocument();
const API_CODES = ERROR_CODES.filter((code) => errorEntry(code).api);

type Schema = { properties?: Record<string, { enum?: unknown[] }> };

/** Every schema the document gives for an error status, over all operations. */
function documentedSchemas(status: number): Schema[] {
  return Object.values(document.paths).flatMap((item) =>
    Object.values(item).flatMap((op) => {
      const response = op.responses[String(status)];
      if (!response) return [];
      const resolved = dereference(document, response) as {
        content?: Record<string, { schema: unknown }>;
      };
      const schema = resolved.content?.['application/json']?.schema;
      return schema ? [dereference(document, schema) as Schema] : [];
    }),
  );
}

/** The schema documenting a code: its `result` enum names it, or (published bodies) its `status` is the code's. */
function schemaOf(code: (typeof ERROR_CODES)[number]): Schema | undefined {
  const { status, envelope } = errorEntry(code);
  return documentedSchemas(status).find((schema) =>
    envelope === 'result'
      ? schema.properties?.result?.enum?.includes(code)
      : schema.properties?.status?.enum?.includes(status),
  );
}

describe('the error catalogue', () => {
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));

  it.each(API_CODES)('%s is documented in OpenAPI and renders in the documented envelope', (code) => {
    const schema = schemaOf(code);
    expect(schema).toBeDefined();
    const rendered = renderError(new CatalogueError(code), 'req_4bQk2XyFv9TzPq1LmN0a');
    expect(rendered.status).toBe(errorEntry(code).status);
    const validate = ajv.compile(schema as object);
    // Bodies with extra fields (402's balance) come from their class; the catalogue's own form must still match
    // every documented field it has.
    const body =
      code === 'insufficient_balance'
        ? { ...rendered.body, current_balance: 0, required_amount: 0.25 }
        : rendered.body;
    expect(validate(body) ? [] : validate.errors).toEqual([]);
  });

  it.each(API_CODES)("%s is in the document's x-errors and the SDK's map, with the same status", (code) => {
    const { status, envelope, transient } = errorEntry(code);
    expect(document['x-errors']).toContainEqual({ code, status, envelope, transient });
    expect(API_ERRORS).toHaveProperty(code, { status, envelope, transient });
  });

  it('lists nothing else in OpenAPI or in the SDK', () => {
    expect(Object.keys(API_ERRORS).sort()).toEqual([...API_CODES].sort());
    expect((document['x-errors'] as { code: string }[]).map((e) => e.code).sort()).toEqual(
      [...API_CODES].sort(),
    );
  });

  it.each(ERROR_CODES.filter((code) => !errorEntry(code).api))(
    '%s (not on the public API) renders in the result envelope or the published one',
    (code) => {
      const { body, status } = renderError(new CatalogueError(code), 'req_1');
      expect(status).toBe(errorEntry(code).status);
      expect(Object.keys(body).sort()).toEqual(
        errorEntry(code).envelope === 'result'
          ? ['hint', 'message', 'request_id', 'result', 'status']
          : ['error', 'hint', 'message', 'request_id', 'status'],
      );
    },
  );

  it('claims each engine reason at most once, and every rejection the engine sends', () => {
    const claimed = ERROR_CODES.flatMap((code) => Object.keys(errorEntry(code).engine ?? {}));
    expect(new Set(claimed).size).toBe(claimed.length);
    // Not rejections of the request's images: answered as invalid_input by the client (clients/engine.client.ts).
    const unclaimed: ReasonName[] = [
      'REASON_UNSPECIFIED',
      'BAD_REQUEST',
      'OVERLOADED',
      'NOT_READY',
      'INTERNAL_ERROR',
    ];
    for (const reason of Object.values(Reason)) {
      expect([reason, codeForEngineReason(reason) !== undefined]).toEqual([
        reason,
        !unclaimed.includes(reason),
      ]);
    }
  });
});
