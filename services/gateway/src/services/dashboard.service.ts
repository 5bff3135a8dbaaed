import type { Db } from '../db/connection';
import { NotFoundError } from '../errors/app-error';
import type { KeyMode } from '../lib/api-key';
import { microsToDollars } from '../lib/money';
import type { ApiKeysRepository } from '../repositories/api-keys.repository';
import type { UsageRepository } from '../repositories/usage.repository';
import type { UserRow } from '../repositories/users.repository';
import { type AccountsService, accountView, keyView, ledgerView } from './accounts.service';
import type { BillingService } from './billing.service';

const DAY_MS = 86_400_000;
const ENDPOINTS = ['verify', 'analyze', 'lookalike'] as const;

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
    const key = await this.deps.apiKeys.findById(this.deps.db, keyId);
    if (!key || key.account_id !== user.account_id) throw new NotFoundError('No such API key.');
    return publicKey(keyView(await this.deps.accounts.revokeKey(keyId)));
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
    return {
      days: series,
      totals: {
        requests: series.reduce((n, d) => n + d.requests, 0),
        charged: microsToDollars(chargedMicros.reduce((n, m) => n + m, 0)),
      },
      recent: recent.entries.map(ledgerView),
    };
  }
}

/** Keys as the dashboard shows them: no account id (implicit), no hash. */
function publicKey(view: ReturnType<typeof keyView>) {
  const { account_id: _accountId, ...rest } = view;
  return rest;
}
