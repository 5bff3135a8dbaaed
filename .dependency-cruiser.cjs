// Layer rules, checked by `pnpm lint:deps` (part of `pnpm check`). One `forbidden` list, in blocks per package;
// each rule holds on today's tree and says why it exists. The engine's layers and who may import whom are described
// in services/engine/ARCHITECTURE.md. Docs: https://github.com/sverweij/dependency-cruiser
//
// A module's imports include type-only ones (tsPreCompilationDeps): a type import still couples two layers.
const ENGINE = '^services/engine/src/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- shared packages -------------------------------------------------------------------------------------
    {
      name: 'packages-are-the-bottom',
      comment:
        'packages/* (e.g. @deepface/media) are what the services share: they import no service, the sdk, proto ' +
        'or a test package, so that both services can depend on them without depending on each other.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(services|sdk|proto|test|bench)/' },
    },
    // ---- gateway, sdk, proto, test packages ------------------------------------------------------------------
    {
      name: 'no-cycles-gateway-sdk-proto-test',
      comment:
        'Modules that import each other cannot be understood, tested or moved one at a time. Known cycle left ' +
        'for the OpenAPI rework (issue 14, item 3): openapi/document.ts ↔ openapi/jobs.ts (type Operation).',
      severity: 'error',
      from: {
        path: '^(services/gateway|sdk|proto|test|packages)/',
        pathNot: '^services/gateway/src/openapi/(document|jobs)[.]ts$',
      },
      to: { circular: true },
    },
    {
      name: 'gateway-services-no-http',
      comment:
        'Services decide and return values; routes turn them into HTTP. A service that imports a route or ' +
        'express is writing HTTP.',
      severity: 'error',
      from: { path: '^services/gateway/src/services/' },
      to: { path: ['^services/gateway/src/routes/', '(^|/)node_modules/(express|@types/express)/'] },
    },
    {
      name: 'gateway-routes-not-app',
      comment:
        'The app mounts the routes; a route that imports the app (or the composition root) makes a loop.',
      severity: 'error',
      from: { path: '^services/gateway/src/routes/' },
      to: { path: '^services/gateway/src/app[.]ts$' },
    },
    // ---- engine ------------------------------------------------------------------------------------------------
    {
      name: 'engine-no-cycles',
      comment: 'No import loops in the engine, type-only imports included.',
      severity: 'error',
      from: { path: ENGINE },
      to: { circular: true },
    },
    {
      name: 'engine-contract-is-the-bottom',
      comment:
        'contract/ (tasks, evidence, failures, image types) imports nothing from the rest of the engine.',
      severity: 'error',
      from: { path: `${ENGINE}contract/` },
      to: { path: ENGINE, pathNot: `${ENGINE}contract/` },
    },
    {
      name: 'engine-config-imports-no-runtime',
      comment: 'config.ts is parsed on the main thread before anything loads: it may only read the contract.',
      severity: 'error',
      from: { path: `${ENGINE}config\\.ts$` },
      to: { path: ENGINE, pathNot: `${ENGINE}contract/` },
    },
    {
      name: 'engine-inference-below-transport-and-scheduler',
      comment:
        'inference/ runs in the workers and in-process (bench, eval): it never imports the gRPC layer, the ' +
        'scheduler, the composition roots or the metrics.',
      severity: 'error',
      from: { path: `${ENGINE}inference/` },
      to: { path: `${ENGINE}(transport/|scheduler/|metrics/|main\\.ts$|worker\\.ts$|config\\.ts$)` },
    },
    {
      name: 'engine-scheduler-below-transport',
      comment: 'The scheduler runs tasks; it knows nothing of gRPC.',
      severity: 'error',
      from: { path: `${ENGINE}scheduler/` },
      to: { path: `${ENGINE}transport/` },
    },
    {
      name: 'engine-backends-only-through-nets',
      comment:
        'Outside inference/backends/, the networks are reached through the Nets interface (backends/nets.ts) and ' +
        'the backend is chosen in one place (backends/index.ts): never a tfjs or onnx implementation directly.',
      severity: 'error',
      from: { path: ENGINE, pathNot: `${ENGINE}inference/backends/` },
      to: {
        path: `${ENGINE}inference/backends/`,
        pathNot: `${ENGINE}inference/backends/(nets|index)\\.ts$`,
      },
    },
    {
      name: 'engine-runtime-without-build-tools',
      comment:
        'The ONNX exporter is a build tool (services/engine/tools/onnx-export): the runtime never loads it.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: ['^services/engine/tools/', 'onnx-proto'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
