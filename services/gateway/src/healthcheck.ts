// Container healthcheck for the API (GET /healthz on PORT) and the worker (HEALTHCHECK_PORT=METRICS_PORT):
// `node dist/healthcheck.js`; exit 0 on HTTP 200.
const port = process.env.HEALTHCHECK_PORT?.trim() || process.env.PORT?.trim() || '8080';
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
