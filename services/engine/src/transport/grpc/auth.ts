// Who may call: the shared-secret check (ENGINE_AUTH_TOKEN) and the server's TLS credentials (ENGINE_TLS_*).
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { AUTH_METADATA_KEY, bearer } from '@deepface/proto';
import type { TlsFiles } from '../../config';

/** Health stays open: kubelet's gRPC probes and load balancers cannot send metadata. It tells nothing but up/down. */
const OPEN_PREFIX = '/grpc.health.v1.Health/';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Constant time whatever was sent: both sides are hashed to 32 bytes first, so neither the length nor a non-ASCII
 * value can make the comparison return early (or throw, as timingSafeEqual does on unequal lengths).
 */
export function tokenMatches(presented: unknown, expected: Buffer): boolean {
  return typeof presented === 'string' && timingSafeEqual(digest(presented), expected);
}

/** Refuses every call but health with UNAUTHENTICATED unless it carries `authorization: Bearer <token>`. */
export function requireToken(token: string): grpc.ServerInterceptor {
  const expected = digest(bearer(token));
  return (method, call) => {
    if (method.path.startsWith(OPEN_PREFIX)) return new grpc.ServerInterceptingCall(call);
    return new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, pass) => {
            if (tokenMatches(metadata.get(AUTH_METADATA_KEY)[0], expected)) pass(metadata);
            else
              call.sendStatus({
                code: grpc.status.UNAUTHENTICATED,
                details: 'missing or invalid engine credentials',
              });
          },
        }),
    });
  };
}

/** Plaintext, TLS, or mutual TLS when a CA is given (clients without a certificate it signed are refused). */
export function serverCredentials(tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(
    tls.ca ? readFileSync(tls.ca) : null,
    [{ cert_chain: readFileSync(tls.cert), private_key: readFileSync(tls.key) }],
    tls.ca !== undefined,
  );
}
