import * as path from 'node:path';
import { Router, type Response } from 'express';
import { buildOpenApiDocument } from '../openapi/document';
import { buildPostmanCollection, buildPostmanEnvironment } from '../openapi/postman';

/**
 * /openapi.json, the Postman collection and environment, and the documentation UI at /docs: Swagger UI served
 * from the swagger-ui-dist npm package (no CDN), with live "try it", request snippets (curl) and the document's
 * payload templates. Its CSP allows exactly what Swagger UI needs: our own scripts, styles (plus the inline styles
 * its React components set) and same-origin requests for "try it".
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SWAGGER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']);

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>DeepFace API — documentation</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="stylesheet" href="/docs/docs.css">
</head>
<body>
  <header class="df-bar">
    <a class="df-brand" href="/docs">DeepFace API</a>
    <nav aria-label="Developer resources">
      <a href="/dashboard">Dashboard</a>
      <a href="/openapi.json">OpenAPI 3.1</a>
      <a href="/docs/postman/collection.json" download="deepface.postman_collection.json">Postman collection</a>
      <a href="/docs/postman/environment.json" download="deepface.postman_environment.json">Postman environment</a>
    </nav>
  </header>
  <main id="swagger-ui"></main>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    requestSnippetsEnabled: true,
    defaultModelsExpandDepth: 0,
    docExpansion: 'list',
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const CSS = `.df-bar{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;
padding:.75rem 1.5rem;background:#1f2340;color:#fff;font-family:system-ui,sans-serif}
.df-brand{color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none}
.df-bar nav{display:flex;flex-wrap:wrap;gap:1rem}
.df-bar nav a{color:#dfe3ff;text-decoration:none;font-size:.95rem}
.df-bar a:hover,.df-bar a:focus-visible{text-decoration:underline;outline:2px solid #9aa5ff;outline-offset:2px}
`;

function sendText(res: Response, type: string, body: string): void {
  res.setHeader('Content-Security-Policy', DOCS_CSP);
  res.type(type).send(body);
}

export function docsRoutes(publicOrigin: string): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  const collection = buildPostmanCollection(document);
  const swaggerDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/docs/postman/collection.json', (_req, res) => {
    res.json(collection);
  });
  // The configured public origin (PUBLIC_ORIGIN), never the request's Host: whoever sends a Host header must not
  // choose where a downloaded environment sends its API key.
  const environment = buildPostmanEnvironment(publicOrigin);
  router.get('/docs/postman/environment.json', (_req, res) => {
    res.json(environment);
  });
  router.get(['/docs', '/docs/'], (_req, res) => sendText(res, 'html', PAGE));
  router.get('/docs/init.js', (_req, res) => sendText(res, 'js', INIT));
  router.get('/docs/docs.css', (_req, res) => sendText(res, 'css', CSS));
  router.get('/docs/assets/:file', (req, res, next) => {
    if (!SWAGGER_FILES.has(req.params.file)) return next();
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(req.params.file, { root: swaggerDir });
  });
  return router;
}
