// How a caller proves it may use the engine, as part of the contract: one implementation for every client (the
// gateway and its worker, the container healthcheck, benchmarks, tests). The engine checks the same key.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';

/** Metadata key carrying the shared secret (ENGINE_AUTH_TOKEN) on every call but grpc.health.v1. */
export const AUTH_METADATA_KEY = 'authorization';

/** The metadata value for a token: `Bearer <token>`. */
export const bearer = (token: string): string => `Bearer ${token}`;

/** PEM files of the engine link's TLS (ENGINE_TLS_CA, ENGINE_TLS_CERT, ENGINE_TLS_KEY). */
export interface EngineTlsFiles {
  /** CA that signed the other side's certificate; system roots when absent (client side). */
  ca?: string | undefined;
  /** This side's certificate chain and key; on a client, presented for mutual TLS. */
  cert?: string | undefined;
  key?: string | undefined;
}

export interface EngineClientSecurity {
  /** TLS when set (even empty: server verified against system roots), plaintext otherwise. */
  tls?: EngineTlsFiles | undefined;
  token?: string | undefined;
  /**
   * The container healthcheck dialling its own process on loopback: the server's certificate is not verified
   * (its name is not 127.0.0.1, and its CA may be none the client knows). Never for a remote engine.
   */
  selfCheck?: boolean;
}

/**
 * Channel credentials and client options for an engine client. The token travels as call metadata added by an
 * interceptor: grpc-js refuses call credentials on a plaintext channel, and a NetworkPolicy-guarded plaintext link
 * with a token is a supported deployment.
 */
export function engineClientSecurity(security: EngineClientSecurity): {
  credentials: grpc.ChannelCredentials;
  options: grpc.ClientOptions;
} {
  const { tls, token } = security;
  const read = (file: string | undefined) => (file ? readFileSync(file) : null);
  const credentials = tls
    ? grpc.credentials.createSsl(
        read(tls.ca),
        read(tls.key),
        read(tls.cert),
        security.selfCheck ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
      )
    : grpc.credentials.createInsecure();
  if (!token) return { credentials, options: {} };
  const value = bearer(token);
  const withToken: grpc.Interceptor = (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(AUTH_METADATA_KEY, value);
        next(metadata, listener);
      },
    });
  return { credentials, options: { interceptors: [withToken] } };
}

/** The client side's TLS files from the environment's ENGINE_TLS_* (undefined when none is set). */
export function engineTlsFromEnv(env: NodeJS.ProcessEnv = process.env): EngineTlsFiles | undefined {
  const pick = (name: string) => env[name]?.trim() || undefined;
  const files = { ca: pick('ENGINE_TLS_CA'), cert: pick('ENGINE_TLS_CERT'), key: pick('ENGINE_TLS_KEY') };
  return files.ca || files.cert || files.key ? files : undefined;
}
