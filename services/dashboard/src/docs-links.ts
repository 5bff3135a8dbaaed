/**
 * Links into the documentation UI (/docs, Swagger UI with deep linking: `#/<tag>/<operationId>`), so the dashboard
 * opens the section a screen is about instead of the top of the docs.
 */
export type DocsOperation = 'verify' | 'analyze' | 'lookalike' | 'getAccount' | 'getUsage';

const TAGS: Record<DocsOperation, string> = {
  verify: 'Face',
  analyze: 'Face',
  lookalike: 'Face',
  getAccount: 'Account',
  getUsage: 'Account',
};

export const docsHref = (operation?: DocsOperation): string =>
  operation ? `/docs#/${TAGS[operation]}/${operation}` : '/docs';

/**
 * Where the documentation UI (/docs/init.js, services/gateway/src/features/docs/docs.routes.ts) looks for an API key to
 * pre-authorise "Try it out" with. sessionStorage: this tab only, gone when it closes, never sent to the server
 * except by "Try it out" itself (the dashboard keeps no secrets: keys are stored hashed and shown once).
 */
export const DOCS_KEY_STORAGE = 'deepface.docs.apiKey';

export function openDocsWithKey(secret: string, operation: DocsOperation = 'verify'): void {
  try {
    sessionStorage.setItem(DOCS_KEY_STORAGE, secret);
  } catch {
    // Storage disabled: the docs still open, and their Authorize button takes the key.
  }
  location.assign(docsHref(operation));
}
