import * as path from 'node:path';
import { Router, type Response } from 'express';
import { buildOpenApiDocument } from '../../openapi/document';
import { buildPostmanCollection, buildPostmanEnvironment } from '../../openapi/postman';

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
    <form class="df-key" id="df-key" aria-label="API key for Try it out">
      <label for="df-key-input">API key for “Try it out”</label>
      <input id="df-key-input" type="password" autocomplete="off" spellcheck="false" placeholder="df_live_… or df_test_…">
      <button type="submit">Use in this tab</button>
      <button type="button" id="df-key-forget" hidden>Forget</button>
      <p id="df-key-status" role="status">Kept in this browser tab only (session storage); sent only with your calls.</p>
    </form>
  </header>
  <main id="swagger-ui"></main>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/*
 * Swagger UI, pre-authorised when this tab holds an API key: pasted in the header's form, or handed over by the
 * dashboard ("Try it in the API docs" after creating a key). The key lives in sessionStorage (this tab only, gone
 * when it closes) and reaches the server only inside the "Try it out" calls themselves. The storage name is the
 * dashboard's DOCS_KEY_STORAGE (services/dashboard/src/docs-links.ts).
 */
const INIT = `window.addEventListener('load', function () {
  var STORAGE = 'deepface.docs.apiKey';
  var SCHEME = 'ApiKey';
  var stored = function () {
    try { return sessionStorage.getItem(STORAGE) || ''; } catch (e) { return ''; }
  };
  var form = document.getElementById('df-key');
  var input = document.getElementById('df-key-input');
  var forget = document.getElementById('df-key-forget');
  var status = document.getElementById('df-key-status');
  var show = function (key) {
    forget.hidden = !key;
    input.value = '';
    input.placeholder = key ? key.slice(0, 8) + '… in use' : 'df_live_… or df_test_…';
  };
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
    // Plain code blocks: the highlighter's inline colours fail contrast on its dark background.
    syntaxHighlight: { activated: false },
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    onComplete: function () {
      var key = stored();
      if (key) window.ui.preauthorizeApiKey(SCHEME, key);
      show(key);
    },
  });
  // Accessibility fixes Swagger UI lacks (axe-core checks this page in the browser tests): names for its selects
  // and text areas, keyboard access to scrolling code blocks, and no link nested in an operation's toggle button
  // (deep links still work: the page's address follows the open operation).
  var NAMES = { servers: 'Server' };
  var fix = function () {
    document.querySelectorAll('#swagger-ui select:not([aria-label])').forEach(function (el) {
      var name = NAMES[el.id] || (el.closest('.examples-select') ? 'Example' : '');
      if (!name && el.closest('.content-type-wrapper, .response-control-media-type')) name = 'Media type';
      el.setAttribute('aria-label', name || 'Option');
    });
    document.querySelectorAll('#swagger-ui textarea:not([aria-label])').forEach(function (el) {
      if (!el.labels || !el.labels.length) el.setAttribute('aria-label', el.closest('.body-param') ? 'Request body' : 'Value');
    });
    document.querySelectorAll('#swagger-ui pre:not([tabindex])').forEach(function (el) {
      el.setAttribute('tabindex', '0');
    });
    document.querySelectorAll('#swagger-ui .opblock-summary-control a[href]').forEach(function (el) {
      el.removeAttribute('href');
    });
  };
  new MutationObserver(fix).observe(document.getElementById('swagger-ui'), { childList: true, subtree: true });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var key = input.value.trim();
    if (!key) { status.textContent = 'Paste an API key first.'; input.focus(); return; }
    try { sessionStorage.setItem(STORAGE, key); } catch (e) { /* storage off: this page only */ }
    window.ui.preauthorizeApiKey(SCHEME, key);
    show(key);
    status.textContent = 'Key in use for Try it out in this tab.';
  });
  forget.addEventListener('click', function () {
    try { sessionStorage.removeItem(STORAGE); } catch (e) { /* nothing stored */ }
    window.ui.authActions.logout([SCHEME]);
    show('');
    status.textContent = 'Key forgotten.';
    input.focus();
  });
});
`;

// The bar spans the page (no inset: the browser's default body margin is removed). Colours keep 4.5:1 or more.
const CSS = `body{margin:0}
.df-bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;
padding:.75rem 1.5rem;background:#1f2340;color:#fff;font-family:system-ui,sans-serif}
.df-brand{color:#fff;font-weight:700;font-size:1.15rem;text-decoration:none}
.df-bar nav{display:flex;flex-wrap:wrap;gap:.5rem 1rem}
.df-bar nav a{color:#dfe3ff;text-decoration:none;font-size:.95rem}
.df-bar a:hover,.df-bar a:focus-visible{text-decoration:underline;outline:2px solid #9aa5ff;outline-offset:2px}
.df-key{flex:1 0 100%;display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:center;font-size:.9rem}
.df-key label{font-weight:600}
.df-key input{font:inherit;padding:.35rem .6rem;border-radius:6px;border:1px solid #9aa5ff;min-width:0;
flex:0 1 18rem;max-width:100%}
.df-key button{font:inherit;font-weight:600;padding:.35rem .8rem;border-radius:6px;border:1px solid #dfe3ff;
background:#fff;color:#1f2340;cursor:pointer}
.df-key button[hidden]{display:none}
.df-key p{margin:0;color:#dfe3ff;flex:1 1 14rem}
.df-key :focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.swagger-ui .info .title small,.swagger-ui .info .title small pre{background:#4b5563}
.swagger-ui .info .title small.version-stamp{background:#3f6212}
.swagger-ui .info a,.swagger-ui .info .url,.swagger-ui .markdown a,.swagger-ui .renderedMarkdown a{color:#1d4ed8}
.swagger-ui .btn.authorize{color:#166534;border-color:#166534}
.swagger-ui .btn.authorize svg{fill:#166534}
.swagger-ui .opblock.opblock-post .opblock-summary-method{background:#166534}
.swagger-ui .opblock.opblock-get .opblock-summary-method{background:#1d4ed8}
.swagger-ui .opblock.opblock-post{border-color:#166534}
.swagger-ui .opblock.opblock-get{border-color:#1d4ed8}
.swagger-ui .btn.try-out__btn,.swagger-ui .btn.cancel{color:#1b1f2e;border-color:#555d73}
.swagger-ui .parameter__in,.swagger-ui .parameter__type,.swagger-ui .prop-format{color:#555d73}
.swagger-ui .btn.execute{background:#1d4ed8;border-color:#1d4ed8}
.swagger-ui .download-contents{background:#4b5563}
@media (max-width:640px){.swagger-ui .response-col_links{display:none}}
.swagger-ui .opblock-summary-control:focus-visible,.swagger-ui pre:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
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
