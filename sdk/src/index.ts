// @deepface/sdk: the TypeScript client of the DeepFace API.
export { DeepFace } from './client';
export type {
  AccountResponse,
  AnalyzeAction,
  AnalyzeResponse,
  ClientOptions,
  Job,
  JobItemInput,
  JobItemResult,
  LivenessOption,
  LookalikeResponse,
  RequestOptions,
  ResponseMeta,
  UsageEntry,
  UsageQuery,
  UsageResponse,
  VerifyResponse,
  WithMeta,
} from './client';
export * from './errors';
export { encodeImage, image } from './images';
export type { ImageInput } from './images';
export type { components, operations, paths } from './generated/openapi';
