import type { RequestHandler } from 'express';
import type { Db } from '../../platform/db/connection';
import { routeLabel } from '../../platform/lib/route-label';
import type { Logger } from '../../platform/logger';
import type { RefusedCallsRepository } from './refused-calls.repository';
import '../../platform/http/locals';

export interface RefusedCallsOptions {
  db: Db;
  repo: RefusedCallsRepository;
  logger: Logger;
  /** Rows older than this are deleted (default 30 days). */
  retentionMs?: number;
  /** At most this many rows per account and minute from one process (a client hammering 429s writes no more). */
  perAccountPerMinute?: number;
  now?: () => number;
}

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 10 * 60_000;

/** The error code of a refusal body: `result` (the envelope), else the historical `error` titles mapped. */
function codeOf(status: number, body: unknown): string {
  const record = (body ?? {}) as Record<string, unknown>;
  if (typeof record.result === 'string' && /^[a-z0-9_]{1,64}$/.test(record.result)) return record.result;
  const byStatus: Record<number, string> = {
    401: 'unauthorized',
    402: 'insufficient_balance',
    403: 'account_suspended',
    404: 'not_found',
    429: 'rate_limited',
  };
  return byStatus[status] ?? (status >= 500 ? 'server_error' : 'refused');
}

/**
 * Records the API calls of a known account that ended in 4xx/5xx (nothing is charged for them): off the hot path
 * (after the response is sent, fire-and-forget), never failing or delaying a request, bounded per account and
 * minute, and swept to a retention window. Unauthenticated refusals (no valid key) belong to no account and are
 * not recorded.
 */
export function recordRefusedCalls(options: RefusedCallsOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? 30 * DAY_MS;
  const perMinute = options.perAccountPerMinute ?? 60;
  let window = 0;
  const counts = new Map<string, number>();
  let lastSweep = 0;

  const sweep = (at: number) => {
    if (at - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = at;
    options.repo.deleteOlderThan(options.db, at - retentionMs).catch((error: unknown) => {
      options.logger.warn({ err: error }, 'could not sweep refused_calls');
    });
  };

  return (req, res, next) => {
    const route = routeLabel(req.method, req.originalUrl);
    let code: string | undefined;
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      if (res.statusCode >= 400) code = codeOf(res.statusCode, body);
      return json(body);
    };
    res.on('finish', () => {
      const principal = res.locals.principal;
      if (res.statusCode < 400 || !principal) return;
      const at = now();
      const minute = Math.floor(at / 60_000);
      if (minute !== window) {
        window = minute;
        counts.clear();
      }
      const seen = counts.get(principal.accountId) ?? 0;
      if (seen >= perMinute) return;
      counts.set(principal.accountId, seen + 1);
      options.repo
        .insert(options.db, {
          account_id: principal.accountId,
          key_id: principal.keyId,
          endpoint: route,
          status: res.statusCode,
          code: code ?? codeOf(res.statusCode, undefined),
          created_at: at,
        })
        .catch((error: unknown) => {
          options.logger.warn(
            { err: error, req_id: res.locals.requestId },
            'could not record a refused call',
          );
        });
      sweep(at);
    });
    next();
  };
}
