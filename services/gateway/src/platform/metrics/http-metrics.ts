import type { Request, RequestHandler, Response } from 'express';
import { ENDPOINTS, type Endpoint } from '../config';
import { dollarsToMicros } from '../lib/money';
import type { GatewayMetrics } from './gateway-metrics';

/**
 * The route template that answered (`/v1/jobs/:id`), so ids never become label values. After an error, Express
 * has already reset req.baseUrl, so the mount prefix is taken from the original path instead: everything before
 * the segments the route's own template matched.
 */
function routeOf(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route !== 'string') return 'unmatched';
  const own = route.split('/').filter(Boolean).length;
  const segments = (req.originalUrl.split('?')[0] ?? '').split('/').filter(Boolean);
  const prefix = segments.slice(0, Math.max(0, segments.length - own)).join('/');
  return `${prefix ? `/${prefix}` : ''}${route}` || '/';
}

function meteredEndpoint(route: string): Endpoint | undefined {
  const last = route.split('/').pop();
  return ENDPOINTS.find((e) => e === last);
}

/**
 * Request count and latency by route and status, plus the billing counters of the synchronous endpoints, read
 * from what the response says (the 402 status and the X-Billing-Charged header): the services stay unaware.
 */
export function httpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req: Request, res: Response, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const route = routeOf(req);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      stop(labels);
      metrics.httpRequests.inc(labels);
      const endpoint = meteredEndpoint(route);
      if (!endpoint) return;
      if (res.statusCode === 402) metrics.insufficientBalance.inc({ endpoint, source: 'api' });
      const charged = Number(res.getHeader('x-billing-charged'));
      if (res.statusCode === 200 && charged > 0) {
        metrics.charged.inc({ endpoint, source: 'api' }, dollarsToMicros(charged));
        metrics.charges.inc({ endpoint, source: 'api' });
      }
    });
    next();
  };
}
