import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import type { ProtoGrpcType } from './generated/engine';
import type { ErrorDetail, ErrorDetail__Output } from './generated/deepface/engine/v1/ErrorDetail';

export type * from './generated/engine';
export type { FaceEngineClient, FaceEngineHandlers } from './generated/deepface/engine/v1/FaceEngine';
export * from './types';
export * from './auth';

/** Directory holding `deepface/engine/v1/engine.proto` (the include root). */
export const PROTO_ROOT = path.resolve(__dirname, '..');
export const PROTO_FILE = 'deepface/engine/v1/engine.proto';
export const SERVICE_NAME = 'deepface.engine.v1.FaceEngine';
/** Trailing metadata key of a failed call; its value is an encoded ErrorDetail. */
export const ERROR_METADATA_KEY = 'deepface-error-bin';
/**
 * Request metadata naming who a call is for: an opaque key per account (a keyed hash from the gateway, never an
 * account id or API key), at most 64 characters of [A-Za-z0-9_-]. The engine serves waiting calls fairly between
 * such keys; calls without one share a single anonymous tenant.
 */
export const TENANT_METADATA_KEY = 'deepface-tenant';

/** Options the generated types were produced with (see package.json `generate`): keep them in step. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

let definition: protoLoader.PackageDefinition | undefined;

/** The package definition, loaded once per process (also what server reflection serves). */
export function enginePackageDefinition(): protoLoader.PackageDefinition {
  definition ??= protoLoader.loadSync(PROTO_FILE, LOADER_OPTIONS);
  return definition;
}

/** The typed gRPC package object: service constructors and the service definition. */
export function loadEngineProto(): ProtoGrpcType['deepface']['engine']['v1'] {
  const loaded = grpc.loadPackageDefinition(enginePackageDefinition()) as unknown as ProtoGrpcType;
  return loaded.deepface.engine.v1;
}

let errorType: protobuf.Type | undefined;

function errorDetailType(): protobuf.Type {
  if (!errorType) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) =>
      path.isAbsolute(target) ? target : path.join(PROTO_ROOT, target);
    root.loadSync(PROTO_FILE, { keepCase: true });
    errorType = root.lookupType('deepface.engine.v1.ErrorDetail');
  }
  return errorType;
}

export function encodeErrorDetail(detail: ErrorDetail): Buffer {
  const type = errorDetailType();
  return Buffer.from(type.encode(type.fromObject(detail)).finish());
}

export function decodeErrorDetail(bytes: Uint8Array): ErrorDetail__Output {
  const type = errorDetailType();
  return type.toObject(type.decode(bytes), { enums: String, defaults: true }) as ErrorDetail__Output;
}

/** The ErrorDetail attached to a failed call, or undefined when the peer sent none (e.g. a proxy error). */
export function errorDetailOf(error: { metadata?: grpc.Metadata }): ErrorDetail__Output | undefined {
  const value = error.metadata?.get(ERROR_METADATA_KEY)[0];
  if (!value || typeof value === 'string') return undefined;
  try {
    return decodeErrorDetail(value);
  } catch {
    return undefined;
  }
}
