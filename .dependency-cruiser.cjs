// Layer rules, checked by `pnpm lint:deps` (part of `pnpm check`). One `forbidden` list, in blocks per package;
// each rule holds on today's tree and says why it exists. The engine's layers and who may import whom are described
// in services/engine/ARCHITECTURE.md, the gateway's in services/gateway/ARCHITECTURE.md.
// Docs: https://github.com/sverweij/dependency-cruiser
//
// A module's imports include type-only ones (tsPreCompilationDeps): a type import still couples two layers.
const ENGINE = '^services/engine/src/';
const GATEWAY = '^services/gateway/src/';

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
    {
      name: 'services-meet-only-through-proto',
      comment:
        'The gateway and the engine share only the proto contract and packages/*: neither imports the other, so ' +
        'each deploys, scales and is tested on its own.',
      severity: 'error',
      from: { path: '^services/(gateway|engine)/src/' },
      to: { path: '^services/(gateway|engine)/', pathNot: '^services/$1/' },
    },
    // ---- gateway, sdk, proto, test packages ------------------------------------------------------------------
    {
      name: 'no-cycles-gateway-sdk-proto-test',
      comment: 'Modules that import each other cannot be understood, tested or moved one at a time.',
      severity: 'error',
      from: { path: '^(services/gateway|sdk|proto|test|packages)/' },
      to: { circular: true },
    },
    {
      name: 'gateway-platform-not-features',
      comment:
        'platform/ (config, logger, db, errors, metrics, lib, redis, fetch, http middleware) is what every ' +
        'feature stands on: it imports no feature, the app, the composition root, the engine client or the ' +
        'OpenAPI document (see services/gateway/ARCHITECTURE.md).',
      severity: 'error',
      from: { path: `${GATEWAY}platform/`, pathNot: '[.]test[.]ts$' },
      to: {
        path: `${GATEWAY}(features/|http/|clients/|openapi/|cli/|(composition|main|worker|bootstrap)[.]ts$)`,
      },
    },
    {
      name: 'gateway-services-no-http',
      comment:
        'Services decide and return values; routes (through http/respond.ts) turn them into HTTP. Outside ' +
        'routes and middleware, a feature imports no route, no middleware, no express and nothing HTTP.',
      severity: 'error',
      from: { path: `${GATEWAY}features/`, pathNot: '[.](routes|middleware|test)[.]ts$' },
      to: {
        path: [
          `${GATEWAY}(http|platform/http)/`,
          '[.](routes|middleware)[.]ts$',
          '(^|/)node_modules/(express|@types/express)/',
        ],
      },
    },
    {
      name: 'gateway-features-not-app',
      comment:
        'The app mounts the routes and the composition root builds the services: a feature (or the platform) ' +
        'that imports either, or an entry point, makes a loop.',
      severity: 'error',
      from: { path: `${GATEWAY}(features|platform)/` },
      to: { path: `${GATEWAY}(http/app|composition|main|worker|bootstrap|healthcheck)[.]ts$` },
    },
    {
      name: 'gateway-clients-below-features',
      comment:
        "clients/ (the engine's gRPC client, its metrics wrapper, the role evidence it presents) serve the " +
        'features: they import the platform, never a feature, the app or openapi/.',
      severity: 'error',
      from: { path: `${GATEWAY}clients/` },
      to: { path: `${GATEWAY}(features|http|openapi|composition)` },
    },
    {
      name: 'gateway-openapi-builder-above-features',
      comment:
        "openapi/ builds the published document from the features' zod schemas, so it sits above them: a " +
        'feature or the platform may read only its data leaves (samples.ts, examples.ts), which import no feature. ' +
        'The docs feature serves the document, and tests may check it.',
      severity: 'error',
      from: { path: `${GATEWAY}(features|platform)/`, pathNot: `(${GATEWAY}features/docs/|[.]test[.]ts$)` },
      to: { path: `${GATEWAY}openapi/`, pathNot: `${GATEWAY}openapi/(samples|examples)[.]ts$` },
    },
    {
      name: 'gateway-openapi-data-leaves',
      comment:
        'The sample images and example answers are data every layer may read: they import only the platform.',
      severity: 'error',
      from: { path: `${GATEWAY}openapi/(samples|examples)[.]ts$` },
      to: { path: `${GATEWAY}(features|http|clients|openapi/(?!samples))` },
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
    // node_modules is followed no further but kept as a target, so that rules about express (and the like) can fire.
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
