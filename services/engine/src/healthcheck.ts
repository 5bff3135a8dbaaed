// Container healthcheck: grpc.health.v1 Check on the local engine; exit 0 when SERVING, 1 otherwise.
// `node dist/healthcheck.js` (Docker HEALTHCHECK; Kubernetes uses its native gRPC probes instead).
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

const port = process.env.ENGINE_PORT?.trim() || '50051';
const check = healthService.Check!;
const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
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
