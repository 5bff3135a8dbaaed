// Container healthcheck: grpc.health.v1 Check on the local engine; exit 0 when SERVING, 1 otherwise.
// `node dist/healthcheck.js` (Docker HEALTHCHECK; Kubernetes uses its native gRPC probes, or this file as an exec
// probe when the port requires TLS). Health needs no token; with TLS it dials its own process on loopback without
// verifying the server, and presents the engine's own certificate when client certificates are required.
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { engineClientSecurity } from '@deepface/proto';
import { loadConfig } from './config';

const config = loadConfig();
const { credentials } = engineClientSecurity({
  tls: config.tls && { ca: config.tls.ca, cert: config.tls.cert, key: config.tls.key },
  selfCheck: true,
});
const check = healthService.Check!;
const client = new grpc.Client(`127.0.0.1:${config.port}`, credentials);
client.makeUnaryRequest(
  check.path,
  check.requestSerialize,
  check.responseDeserialize,
  { service: '' },
  { deadline: Date.now() + 3_000 },
  (error, response) => {
    client.close();
    const status = (response as { status?: unknown } | undefined)?.status;
    process.exit(!error && status === 'SERVING' ? 0 : 1);
  },
);
