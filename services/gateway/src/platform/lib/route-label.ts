/**
 * The public API route a request was for, as a template ("POST /v1/verify", "GET /v1/jobs/{id}"): what the
 * dashboard shows as a key's "last used on" and in the refused-calls view. Only known templates are ever stored
 * (anything else is "other"), so no id, query string or caller-chosen text reaches the database.
 */
const ROUTES: [RegExp, string][] = [
  [/^\/v1\/verify\/?$/, '/v1/verify'],
  [/^\/v1\/analyze\/?$/, '/v1/analyze'],
  [/^\/v1\/lookalike\/?$/, '/v1/lookalike'],
  [/^\/v1\/account\/?$/, '/v1/account'],
  [/^\/v1\/usage\/?$/, '/v1/usage'],
  [/^\/v1\/jobs\/?$/, '/v1/jobs'],
  [/^\/v1\/jobs\/[^/]+\/?$/, '/v1/jobs/{id}'],
];
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function routeLabel(method: string, url: string): string {
  const path = url.split('?')[0] ?? '';
  const route = ROUTES.find(([pattern]) => pattern.test(path))?.[1];
  if (!route) return 'other';
  return `${METHODS.has(method) ? method : 'OTHER'} ${route}`;
}

/** The route label of a metered endpoint (for filters): "verify" → "POST /v1/verify". */
export const endpointRoute = (endpoint: 'verify' | 'analyze' | 'lookalike') => `POST /v1/${endpoint}`;
