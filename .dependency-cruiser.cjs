// Layer rules, checked by `pnpm lint:deps` (part of `pnpm check`). One `forbidden` list, in blocks per package;
// each rule holds on today's tree and says why it exists. Docs: https://github.com/sverweij/dependency-cruiser
//
// A module's imports include type-only ones (tsPreCompilationDeps): a type import still couples two layers.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- gateway, sdk, proto, test packages ------------------------------------------------------------------
    {
      name: 'no-cycles-gateway-sdk-proto-test',
      comment:
        'Modules that import each other cannot be understood, tested or moved one at a time. Known cycle left ' +
        'for the OpenAPI rework (issue 14, item 3): openapi/document.ts ↔ openapi/jobs.ts (type Operation).',
      severity: 'error',
      from: {
        path: '^(services/gateway|sdk|proto|test)/',
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};
