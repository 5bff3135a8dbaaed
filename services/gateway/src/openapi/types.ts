/** The shapes of the OpenAPI document's parts, shared by its builders (document, jobs, postman). */
import type { Schema } from './from-zod';

export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> } & Record<string, unknown>;
};
export interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject | { $ref: string }>;
  [key: string]: unknown;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, { $ref: string } | Record<string, unknown>>;
  content?: Record<string, { schema: Schema; examples?: Record<string, unknown> }>;
}
