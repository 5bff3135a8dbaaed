import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import request from 'supertest';
import { buildOpenApiDocument } from '../../src/openapi/document';
import type { OpenApiDocument, ResponseObject } from '../../src/openapi/types';
import { dereference } from '../../src/openapi/postman';

export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Validates real responses against the OpenAPI document: the status must be documented for the operation, every
 * required header present, every documented header well-formed, and the JSON body valid against the schema
 * (JSON Schema 2020-12, strict ajv). Records which (operation, status) pairs were seen, for coverage checks.
 */
export class ContractValidator {
  readonly document: OpenApiDocument;
  readonly seen = new Set<string>();
  private readonly ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument = buildOpenApiDocument()) {
    this.document = document;
  }

  /** Every documented "operationId status" pair. */
  documentedPairs(): string[] {
    return Object.values(this.document.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => Object.keys(op.responses).map((s) => `${op.operationId} ${s}`)),
    );
  }

  /** Sends a request to the app and records any way its response breaks the document in `problems`. */
  async call(
    app: Express,
    problems: string[],
    method: 'get' | 'post',
    url: string,
    opts: { key?: string; body?: unknown; idem?: string } = {},
  ): Promise<request.Response> {
    let req = request(app)[method](url);
    if (opts.key) req = req.set('X-API-KEY', opts.key);
    if (opts.idem) req = req.set('Idempotency-Key', opts.idem);
    const res = opts.body === undefined ? await req : await req.send(opts.body as object);
    problems.push(...this.check(method, url, { status: res.status, headers: res.headers, body: res.body }));
    return res;
  }

  /** Problems found (empty when the response matches the document). */
  check(method: string, url: string, res: ObservedResponse): string[] {
    const path = url.split('?')[0]!;
    const template = Object.keys(this.document.paths).find((t) =>
      new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    );
    const op = template ? this.document.paths[template]?.[method.toLowerCase()] : undefined;
    if (!op) return [`${method} ${path} is not documented`];
    const where = `${op.operationId} ${res.status}`;
    const raw = op.responses[String(res.status)];
    if (!raw) return [`${where}: status ${res.status} is not documented`];
    this.seen.add(where);
    const response = dereference(this.document, raw) as ResponseObject;
    const problems: string[] = [];
    for (const [name, spec] of Object.entries(response.headers ?? {})) {
      const def = spec as { required?: boolean; schema: Record<string, unknown> };
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) {
        if (def.required) problems.push(`${where}: header ${name} is missing`);
        continue;
      }
      const validate = this.validator(`header:${name}`, def.schema);
      if (!validate(Array.isArray(value) ? value.join(', ') : value)) {
        problems.push(`${where}: header ${name}=${String(value)} ${this.ajv.errorsText(validate.errors)}`);
      }
    }
    const schema = response.content?.['application/json']?.schema;
    if (schema) {
      const validate = this.validator(`${where}:body`, schema);
      if (!validate(res.body)) {
        problems.push(`${where}: body ${this.ajv.errorsText(validate.errors)}: ${JSON.stringify(res.body)}`);
      }
    } else if (res.body !== undefined && res.body !== '' && Object.keys(res.body as object).length > 0) {
      problems.push(`${where}: a body was sent but none is documented`);
    }
    return problems;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema as object);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

interface RouterLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** Every "METHOD /path" the Express app serves (Express 5 keeps each layer's path as `rawPath`). */
export function listRoutes(app: { router: { stack: RouterLayer[] } }): string[] {
  const out: string[] = [];
  const walk = (stack: RouterLayer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = ([] as unknown[]).concat(layer.route.path);
        for (const p of paths) {
          if (typeof p !== 'string') continue;
          for (const method of Object.keys(layer.route.methods))
            out.push(`${method.toUpperCase()} ${prefix}${p}`);
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk(app.router.stack, '');
  return [...new Set(out)];
}
