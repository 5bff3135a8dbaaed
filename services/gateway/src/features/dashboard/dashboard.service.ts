import type { Db } from '../../platform/db/connection';
import { InvalidInputError, NotFoundError } from '../../platform/errors/app-error';
import type { KeyMode } from '../../platform/lib/api-key';
import { microsToDollars } from '../../platform/lib/money';
import { endpointRoute } from '../../platform/lib/route-label';
import type { ApiKeysRepository } from '../accounts/api-keys.repository';
import type { RefusedCallsRepository } from '../accounts/refused-calls.repository';
import type { ApiKeyRow, LedgerType } from '../../platform/db/rows';
import type { UsageRepository } from '../accounts/usage.repository';
import type { UserRow } from './users.repository';
import {
  type AccountsService,
  accountView,
  decodeCursor,
  encodeCursor,
  keyView,
  ledgerView,
} from '../accounts/accounts.service';
import type { BillingService } from '../billing/billing.service';

const DAY_MS = 86_400_000;
export const ENDPOINTS = ['verify', 'analyze', 'lookalike'] as const;
export type MeteredEndpoint = (typeof ENDPOINTS)[number];
/** The entry types the activity list shows (a reserve is the hold behind a capture or release: not shown). */
export const ACTIVITY_TYPES = [
  'capture',
  'release',
  'credit',
  'debit',
] as const satisfies readonly LedgerType[];
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
/** The most rows one CSV export holds (newest first); the file says so when it is cut. */
export const CSV_MAX_ROWS = 10_000;

export interface ActivityFilter {
  days: number;
  cursor?: string;
  /** Only the calls made with this API key (the account's own; another id matches nothing). */
  keyId?: string;
  endpoint?: MeteredEndpoint;
  type?: ActivityType;
  limit: number;
}

export interface RefusedFilter {
  days: number;
  cursor?: string;
  keyId?: string;
  endpoint?: MeteredEndpoint;
  limit: number;
}

/**
 * What the dashboard shows and changes, always scoped to the signed-in user's own account: every key operation
 * checks ownership and answers 404 for anyone else's key (no difference between "not yours" and "missing").
 */
export class DashboardService {
  constructor(
    private readonly deps: {
      db: Db;
      accounts: AccountsService;
      billing: BillingService;
      apiKeys: ApiKeysRepository;
      usage: UsageRepository;
      refusedCalls: RefusedCallsRepository;
      now?: () => number;
    },
  ) {}

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async account(user: UserRow) {
    return accountView(await this.deps.accounts.getAccount(user.account_id), this.deps.billing);
  }

  async listKeys(user: UserRow) {
    const keys = await this.deps.accounts.listKeys(user.account_id);
    return keys.map((key) => publicKey(keyView(key))).reverse();
  }

  async createKey(user: UserRow, name: string, mode: KeyMode) {
    const { key, row } = await this.deps.accounts.createKey(user.account_id, mode, name);
    return { key: publicKey(keyView(row)), secret: key };
  }

  async revokeKey(user: UserRow, keyId: string) {
    await this.ownKey(user, keyId);
    return publicKey(keyView(await this.deps.accounts.revokeKey(keyId)));
  }

  async renameKey(user: UserRow, keyId: string, name: string) {
    await this.ownKey(user, keyId);
    return publicKey(keyView(await this.deps.accounts.renameKey(keyId, name)));
  }

  /** A new secret for the same name and mode; the old key is revoked in the same transaction. */
  async rollKey(user: UserRow, keyId: string) {
    await this.ownKey(user, keyId);
    const rolled = await this.deps.accounts.rollKey(keyId);
    return {
      key: publicKey(keyView(rolled.row)),
      secret: rolled.key,
      revoked: publicKey(keyView(rolled.revoked)),
    };
  }

  /** 404 for a missing key and for anyone else's alike. */
  private async ownKey(user: UserRow, keyId: string): Promise<ApiKeyRow> {
    const key = await this.deps.apiKeys.findById(this.deps.db, keyId);
    if (!key || key.account_id !== user.account_id) throw new NotFoundError('No such API key.');
    return key;
  }

  private since(days: number): number {
    return Math.floor(this.now / DAY_MS) * DAY_MS - (days - 1) * DAY_MS;
  }

  /**
   * The activity list (ledger entries) of the selected period, newest first, one page at a time; each entry names
   * the API key that made the call (null for credits, debits, the playground and entries from before keys were
   * recorded).
   */
  async activity(user: UserRow, filter: ActivityFilter) {
    const beforeId = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
    if (filter.cursor !== undefined && beforeId === undefined)
      throw new InvalidInputError('cursor is not valid.');
    const [rows, keys] = await Promise.all([
      this.deps.usage.activity(this.deps.db, user.account_id, {
        since: this.since(filter.days),
        types: filter.type ? [filter.type] : [...ACTIVITY_TYPES],
        ...(filter.endpoint ? { endpoint: filter.endpoint } : {}),
        ...(filter.keyId ? { keyId: filter.keyId } : {}),
        ...(beforeId !== undefined ? { beforeId } : {}),
        limit: filter.limit + 1,
      }),
      this.deps.apiKeys.listByAccount(this.deps.db, user.account_id),
    ]);
    const byId = new Map(keys.map((k) => [k.id, k]));
    const entries = rows.slice(0, filter.limit);
    const last = entries[entries.length - 1];
    return {
      entries: entries.map((entry) => {
        const key = entry.key_id ? byId.get(entry.key_id) : undefined;
        return { ...ledgerView(entry), key: key ? { id: key.id, name: key.name, prefix: key.prefix } : null };
      }),
      next_cursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null,
    };
  }

  /** API calls of the account that were refused (nothing charged), newest first, one page at a time. */
  async refusedCalls(user: UserRow, filter: RefusedFilter) {
    const beforeId = filter.cursor === undefined ? undefined : decodeRefusedCursor(filter.cursor);
    if (filter.cursor !== undefined && beforeId === undefined)
      throw new InvalidInputError('cursor is not valid.');
    const [rows, keys] = await Promise.all([
      this.deps.refusedCalls.page(this.deps.db, user.account_id, {
        since: this.since(filter.days),
        ...(filter.keyId ? { keyId: filter.keyId } : {}),
        ...(filter.endpoint ? { endpoint: endpointRoute(filter.endpoint) } : {}),
        ...(beforeId !== undefined ? { beforeId } : {}),
        limit: filter.limit + 1,
      }),
      this.deps.apiKeys.listByAccount(this.deps.db, user.account_id),
    ]);
    const byId = new Map(keys.map((k) => [k.id, k]));
    const calls = rows.slice(0, filter.limit);
    const last = calls[calls.length - 1];
    return {
      calls: calls.map((c) => {
        const key = c.key_id ? byId.get(c.key_id) : undefined;
        return {
          id: `rc_${c.id}`,
          endpoint: c.endpoint,
          status: c.status,
          code: c.code,
          charged: 0,
          key: key ? { id: key.id, name: key.name, prefix: key.prefix } : null,
          created_at: new Date(c.created_at).toISOString(),
        };
      }),
      next_cursor:
        rows.length > filter.limit && last ? Buffer.from(`rc:${last.id}`).toString('base64url') : null,
    };
  }

  /**
   * The selected period as CSV (RFC 4180, CRLF): the activity list or the refused calls with the same filters.
   * Text cells that a spreadsheet would run as a formula (= + - @, tab, CR) are prefixed with an apostrophe.
   */
  async csv(
    user: UserRow,
    view: 'activity' | 'refused',
    filter: Omit<ActivityFilter & RefusedFilter, 'limit' | 'cursor'>,
  ): Promise<{ filename: string; body: string }> {
    const lines: string[] = [];
    let cursor: string | undefined;
    let count = 0;
    if (view === 'activity') {
      lines.push(
        csvRow([
          'time',
          'type',
          'endpoint',
          'amount',
          'balance_change',
          'request_id',
          'reason',
          'key_name',
          'key_prefix',
        ]),
      );
      do {
        const page = await this.activity(user, { ...filter, limit: 500, ...(cursor ? { cursor } : {}) });
        for (const e of page.entries) {
          lines.push(
            csvRow([
              e.created_at,
              e.type,
              e.endpoint,
              e.amount,
              e.balance_change,
              e.request_id,
              e.reason,
              e.key?.name,
              e.key?.prefix,
            ]),
          );
        }
        count += page.entries.length;
        cursor = page.next_cursor ?? undefined;
      } while (cursor && count < CSV_MAX_ROWS);
    } else {
      lines.push(csvRow(['time', 'endpoint', 'status', 'code', 'charged', 'key_name', 'key_prefix']));
      do {
        const page = await this.refusedCalls(user, { ...filter, limit: 500, ...(cursor ? { cursor } : {}) });
        for (const c of page.calls) {
          lines.push(csvRow([c.created_at, c.endpoint, c.status, c.code, 0, c.key?.name, c.key?.prefix]));
        }
        count += page.calls.length;
        cursor = page.next_cursor ?? undefined;
      } while (cursor && count < CSV_MAX_ROWS);
    }
    const day = new Date(this.now).toISOString().slice(0, 10);
    const name = view === 'activity' ? 'usage' : 'refused-calls';
    return { filename: `deepface-${name}-${day}-${filter.days}d.csv`, body: lines.join('\r\n') + '\r\n' };
  }

  /** Requests and spend per day over the last `days` days (UTC), and the latest ledger entries. */
  async usage(user: UserRow, days: number) {
    const today = Math.floor(this.now / DAY_MS) * DAY_MS;
    const since = today - (days - 1) * DAY_MS;
    const events = await this.deps.usage.meteredSince(this.deps.db, user.account_id, since);
    const series = Array.from({ length: days }, (_, i) => ({
      date: new Date(since + i * DAY_MS).toISOString().slice(0, 10),
      requests: 0,
      charged: 0,
      by_endpoint: Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<
        (typeof ENDPOINTS)[number],
        number
      >,
    }));
    const chargedMicros = new Array<number>(days).fill(0);
    for (const event of events) {
      const index = Math.floor((event.created_at - since) / DAY_MS);
      const day = series[index];
      if (!day) continue;
      if (event.type === 'reserve') {
        day.requests++;
        if (event.endpoint && event.endpoint in day.by_endpoint) {
          day.by_endpoint[event.endpoint as (typeof ENDPOINTS)[number]]++;
        }
      } else {
        chargedMicros[index]! += event.amount_micros;
      }
    }
    series.forEach((day, i) => (day.charged = microsToDollars(chargedMicros[i]!)));
    const recent = await this.deps.accounts.usage(user.account_id, {
      limit: 25,
      types: ['capture', 'release', 'credit', 'debit'],
    });
    const refused = await this.deps.refusedCalls.countSince(this.deps.db, user.account_id, since);
    return {
      days: series,
      totals: {
        requests: series.reduce((n, d) => n + d.requests, 0),
        charged: microsToDollars(chargedMicros.reduce((n, m) => n + m, 0)),
        refused,
      },
      recent: recent.entries.map(ledgerView),
    };
  }
}

function decodeRefusedCursor(cursor: string): number | undefined {
  const match = /^rc:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** One CSV line: numbers as they are, text quoted, formula-looking text defused with a leading apostrophe. */
export function csvRow(cells: (string | number | null | undefined)[]): string {
  return cells
    .map((cell) => {
      if (cell === null || cell === undefined) return '';
      if (typeof cell === 'number') return String(cell);
      const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
      return /[",\r\n']/.test(safe) || safe !== cell ? `"${safe.replace(/"/g, '""')}"` : safe;
    })
    .join(',');
}

/** Keys as the dashboard shows them: no account id (implicit), no hash. */
function publicKey(view: ReturnType<typeof keyView>) {
  const { account_id: _accountId, ...rest } = view;
  return rest;
}
