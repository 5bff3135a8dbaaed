import { createHash } from 'node:crypto';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  InvalidInputError,
} from '../../platform/errors/app-error';
import { renderError, toAppError } from '../../platform/errors/render';
import type { HttpResult } from '../../platform/response';
import type { Logger } from '../../platform/logger';
import type { IdempotencyRepository } from './idempotency.repository';
import type { IdempotencyRow } from '../../platform/db/rows';

export interface IdempotencyDeps {
  db: Db;
  repo: IdempotencyRepository;
  config: Pick<Config, 'idempotency' | 'engine' | 'images'>;
  logger: Logger;
  now?: () => number;
}

export interface IdempotentCall {
  accountId: string;
  key: string;
  requestHash: string;
  requestId: string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const POLL_MS = 50;

export function validateIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw new InvalidInputError(
      'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.',
    );
  }
  return value;
}

/** SHA-256 of method, path and the body with sorted keys: what "the same request" means. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Outcomes worth replaying. 5xx, 402, 409 and 429 are transient (as are errors marked `transient`, e.g. a download
 * timeout): the same key may be retried for a real result.
 */
function isReplayable(status: number): boolean {
  return status < 500 && status !== 402 && status !== 409 && status !== 429;
}

/**
 * `Idempotency-Key` (IETF draft, Stripe's semantics): the first request with a key runs; later ones with the same
 * key and body get the stored response (header `Idempotent-Replayed: true`) and are never charged again. While the
 * first is still running, duplicates wait for its result up to IDEMPOTENCY_WAIT_MS, then get 409. The same key with
 * a different body gets 422. Records hold a hash of the request, never the request (images) itself.
 *
 * A crashed owner's claim expires after a lease (longer than any request can run); another request then takes
 * over. The lease value is a fencing token: a late owner can no longer overwrite the new owner's record.
 */
export class IdempotencyService {
  private readonly now: () => number;

  constructor(private readonly deps: IdempotencyDeps) {
    this.now = deps.now ?? Date.now;
  }

  private get leaseMs(): number {
    const { images, engine } = this.deps.config;
    return images.fetchTimeoutMs + engine.timeoutMs + 5_000;
  }

  async run(call: IdempotentCall, execute: () => Promise<HttpResult>): Promise<HttpResult> {
    const { db, repo, config } = this.deps;
    const waitUntil = this.now() + config.idempotency.waitMs;
    for (;;) {
      const now = this.now();
      const lease = now + this.leaseMs;
      const claimed = await repo.tryInsert(db, {
        account_id: call.accountId,
        idem_key: call.key,
        request_hash: call.requestHash,
        state: 'in_progress',
        created_at: now,
        locked_until: lease,
        expires_at: now + config.idempotency.ttlHours * 3_600_000,
      });
      if (claimed) return this.executeAndStore(call, lease, execute);

      const existing = await repo.find(db, call.accountId, call.key);
      if (!existing) continue; // removed in between (its owner failed): try to claim it again
      if (existing.expires_at < now) {
        await repo.purgeExpired(db, now);
        continue;
      }
      if (existing.request_hash !== call.requestHash) throw new IdempotencyKeyReusedError();
      if (existing.state === 'completed') return replay(existing);
      if (
        existing.locked_until < now &&
        (await repo.takeOver(db, existing.id, existing.locked_until, lease))
      ) {
        return this.executeAndStore(call, lease, execute);
      }
      if (now >= waitUntil) throw new IdempotencyInProgressError();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async executeAndStore(call: IdempotentCall, lease: number, execute: () => Promise<HttpResult>) {
    let result: HttpResult;
    try {
      result = await execute();
    } catch (error) {
      const { appError, unexpected } = toAppError(error);
      if (!isReplayable(appError.status) || appError.transient || unexpected) {
        await this.forget(call, lease);
        throw error;
      }
      result = renderError(appError, call.requestId);
    }
    if (isReplayable(result.status)) {
      try {
        await this.store(call, lease, result);
      } catch (error) {
        // The work is done (and maybe charged): the client still gets its result rather than a 5xx.
        this.deps.logger.error({ err: error, req_id: call.requestId }, 'could not store idempotent response');
      }
    } else {
      await this.forget(call, lease);
    }
    return result;
  }

  private async store(call: IdempotentCall, lease: number, result: HttpResult): Promise<void> {
    const owner = { accountId: call.accountId, key: call.key, lease };
    const stored = await this.deps.repo.complete(this.deps.db, owner, {
      status: result.status,
      body: JSON.stringify(result.stored ?? result.body),
      headers: JSON.stringify(result.headers),
    });
    if (!stored)
      this.deps.logger.warn({ req_id: call.requestId }, 'idempotency lease lost before completion');
  }

  private async forget(call: IdempotentCall, lease: number): Promise<void> {
    try {
      await this.deps.repo.remove(this.deps.db, { accountId: call.accountId, key: call.key, lease });
    } catch (error) {
      // The lease expires on its own; the key is retryable then.
      this.deps.logger.warn({ err: error, req_id: call.requestId }, 'could not release idempotency key');
    }
  }
}

function replay(row: IdempotencyRow): HttpResult {
  const headers = JSON.parse(row.response_headers ?? '{}') as Record<string, string>;
  return {
    status: row.response_status ?? 200,
    body: JSON.parse(row.response_body ?? '{}') as Record<string, unknown>,
    headers: { ...headers, 'Idempotent-Replayed': 'true' },
  };
}
