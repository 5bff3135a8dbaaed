import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/connection';
import { withTransaction } from '../../platform/db/transaction';
import { AccountSuspendedError, KeyLimitError, NotFoundError } from '../../platform/errors/app-error';
import { KeyNameTakenError, KeyRevokedError } from './key-errors';
import { generateApiKey, type KeyMode } from '../../platform/lib/api-key';
import { newId } from '../../platform/lib/ids';
import { microsToDollars } from '../../platform/lib/money';
import type { AccountsRepository } from './accounts.repository';
import type { ApiKeysRepository } from './api-keys.repository';
import type { LedgerRepository } from '../billing/ledger.repository';
import type { ReservationsRepository } from '../billing/reservations.repository';
import type {
  AccountRow,
  AccountStatus,
  ApiKeyRow,
  Executor,
  LedgerEntryRow,
  LedgerType,
} from '../../platform/db/rows';
import { openAccount, type NewAccount } from './account-opening';
import type { BillingService } from '../billing/billing.service';

export interface AccountsDeps {
  db: Db;
  accounts: AccountsRepository;
  apiKeys: ApiKeysRepository;
  ledger: LedgerRepository;
  reservations: ReservationsRepository;
  billing: BillingService;
  config: Pick<Config, 'billing' | 'keys'>;
  now?: () => number;
}

/** Public (dollar) views of accounts, keys and ledger entries: what the API and the admin CLI print. */
export function accountView(account: AccountRow, billing: BillingService) {
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    status: account.status,
    currency: 'USD',
    balance: microsToDollars(account.balance_micros - account.reserved_micros),
    reserved: microsToDollars(account.reserved_micros),
    prices: {
      verify: microsToDollars(billing.priceOf(account, 'verify')),
      analyze: microsToDollars(billing.priceOf(account, 'analyze')),
      lookalike: microsToDollars(billing.priceOf(account, 'lookalike')),
    },
    created_at: new Date(account.created_at).toISOString(),
  };
}

export function keyView(key: ApiKeyRow) {
  return {
    id: key.id,
    account_id: key.account_id,
    name: key.name,
    mode: key.mode,
    prefix: key.prefix,
    status: key.revoked_at === null ? 'active' : 'revoked',
    created_at: new Date(key.created_at).toISOString(),
    last_used_at: key.last_used_at === null ? null : new Date(key.last_used_at).toISOString(),
    last_used_endpoint: key.last_used_endpoint,
    revoked_at: key.revoked_at === null ? null : new Date(key.revoked_at).toISOString(),
  };
}

export function ledgerView(entry: LedgerEntryRow) {
  return {
    id: `le_${entry.id}`,
    type: entry.type,
    endpoint: entry.endpoint,
    amount: microsToDollars(entry.amount_micros),
    balance_change: microsToDollars(entry.balance_delta_micros),
    reserved_change: microsToDollars(entry.reserved_delta_micros),
    request_id: entry.request_id,
    reason: entry.reason,
    created_at: new Date(entry.created_at).toISOString(),
  };
}

/** Accounts and keys: what the admin CLI (and later the dashboard) does. */
export class AccountsService {
  private readonly now: () => number;

  constructor(private readonly deps: AccountsDeps) {
    this.now = deps.now ?? Date.now;
  }

  createAccount(input: NewAccount): Promise<AccountRow> {
    const { db, accounts, ledger } = this.deps;
    return withTransaction(db, (trx) =>
      openAccount(trx, { accounts, ledger }, { ...input, creditReason: 'opening balance', now: this.now() }),
    );
  }

  async getAccount(id: string): Promise<AccountRow> {
    const account = await this.deps.accounts.findById(this.deps.db, id);
    if (!account) throw new NotFoundError(`Account ${id} not found.`);
    return account;
  }

  listAccounts(): Promise<AccountRow[]> {
    return this.deps.accounts.list(this.deps.db);
  }

  countAccounts(): Promise<number> {
    return this.deps.accounts.count(this.deps.db);
  }

  async setStatus(id: string, status: AccountStatus): Promise<AccountRow> {
    if (!(await this.deps.accounts.setStatus(this.deps.db, id, status, this.now()))) {
      throw new NotFoundError(`Account ${id} not found.`);
    }
    return this.getAccount(id);
  }

  /**
   * Creates a key; the plaintext is returned here once and never stored. At most ACCOUNT_MAX_KEYS active keys per
   * account (409 beyond): keys are a unit of rate limits and of leak exposure, so an account cannot mint hundreds.
   * The count and the insert run under the account row's lock, so concurrent creations cannot pass it together.
   * A name is unique among the account's active keys, ignoring case (409 key_name_taken), checked under the
   * same lock.
   */
  async createKey(accountId: string, mode: KeyMode, name?: string): Promise<{ key: string; row: ApiKeyRow }> {
    // A suspended account gets no new keys (its old ones answer 403 until it is reactivated).
    if ((await this.getAccount(accountId)).status !== 'active') throw new AccountSuspendedError();
    const { db } = this.deps;
    const generated = generateApiKey(mode);
    const row = this.newKeyRow(accountId, mode, name ?? null, generated);
    await withTransaction(db, async (trx) => {
      await this.lockAccount(trx, accountId, row.created_at);
      const active = await this.deps.apiKeys.listActive(trx, accountId);
      this.checkRoom(active.length);
      if (row.name !== null) checkUniqueName(active, row.name);
      await this.deps.apiKeys.insert(trx, row);
    });
    return { key: generated.key, row };
  }

  async listKeys(accountId: string): Promise<ApiKeyRow[]> {
    await this.getAccount(accountId);
    return this.deps.apiKeys.listByAccount(this.deps.db, accountId);
  }

  async revokeKey(keyId: string): Promise<ApiKeyRow> {
    const existing = await this.deps.apiKeys.findById(this.deps.db, keyId);
    if (!existing) throw new NotFoundError(`Key ${keyId} not found.`);
    await this.deps.apiKeys.revoke(this.deps.db, keyId, this.now());
    return (await this.deps.apiKeys.findById(this.deps.db, keyId))!;
  }

  /** Renames an active key (unique among the account's active keys, ignoring case; under the account lock). */
  async renameKey(keyId: string, name: string): Promise<ApiKeyRow> {
    const { db, apiKeys } = this.deps;
    await withTransaction(db, async (trx) => {
      const key = await apiKeys.findById(trx, keyId);
      if (!key) throw new NotFoundError(`Key ${keyId} not found.`);
      await this.lockAccount(trx, key.account_id, this.now());
      const active = await apiKeys.listActive(trx, key.account_id);
      const current = active.find((k) => k.id === keyId);
      if (!current) throw new KeyRevokedError();
      checkUniqueName(
        active.filter((k) => k.id !== keyId),
        name,
      );
      await apiKeys.rename(trx, keyId, name);
    });
    return (await apiKeys.findById(db, keyId))!;
  }

  /**
   * Rolls a key: a new secret with the same name and mode, and the old key revoked, in one transaction under the
   * account lock (so the active-key count never exceeds ACCOUNT_MAX_KEYS, even with concurrent creations). The
   * plaintext of the new key is returned here once.
   */
  async rollKey(keyId: string): Promise<{ key: string; row: ApiKeyRow; revoked: ApiKeyRow }> {
    const { db, apiKeys } = this.deps;
    const existing = await apiKeys.findById(db, keyId);
    if (!existing) throw new NotFoundError(`Key ${keyId} not found.`);
    if ((await this.getAccount(existing.account_id)).status !== 'active') throw new AccountSuspendedError();
    const generated = generateApiKey(existing.mode);
    const row = this.newKeyRow(existing.account_id, existing.mode, existing.name, generated);
    await withTransaction(db, async (trx) => {
      await this.lockAccount(trx, existing.account_id, row.created_at);
      // Revoke first (under the lock): a key revoked meanwhile cannot be rolled into a second live secret.
      if (!(await apiKeys.revoke(trx, keyId, row.created_at))) throw new KeyRevokedError();
      this.checkRoom(await apiKeys.countActive(trx, existing.account_id));
      await apiKeys.insert(trx, row);
    });
    return { key: generated.key, row, revoked: (await apiKeys.findById(db, keyId))! };
  }

  private newKeyRow(
    accountId: string,
    mode: KeyMode,
    name: string | null,
    generated: { prefix: string; hash: string },
  ): ApiKeyRow {
    return {
      id: newId('key'),
      account_id: accountId,
      name,
      mode,
      prefix: generated.prefix,
      key_hash: generated.hash,
      created_at: this.now(),
      last_used_at: null,
      last_used_endpoint: null,
      revoked_at: null,
    };
  }

  private async lockAccount(trx: Executor, accountId: string, now: number) {
    if (!(await this.deps.accounts.lock(trx, accountId, now))) {
      throw new NotFoundError(`Account ${accountId} not found.`);
    }
  }

  private checkRoom(activeCount: number): void {
    const max = this.deps.config.keys.maxActive;
    if (activeCount >= max) throw new KeyLimitError(max);
  }

  /** One page of an account's ledger, newest first, with an opaque cursor for the next page. */
  async usage(
    accountId: string,
    opts: { beforeId?: number; limit: number; types?: LedgerType[] },
  ): Promise<{ entries: LedgerEntryRow[]; nextCursor: string | null }> {
    const rows = await this.deps.ledger.page(this.deps.db, accountId, {
      beforeId: opts.beforeId,
      limit: opts.limit + 1,
      types: opts.types,
    });
    const entries = rows.slice(0, opts.limit);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: rows.length > opts.limit && last ? encodeCursor(last.id) : null };
  }

  reconcile(accountId?: string) {
    return this.deps.ledger.reconcile(this.deps.db, accountId);
  }
}

export function encodeCursor(id: number): string {
  return Buffer.from(`le:${id}`, 'utf8').toString('base64url');
}

/** Undefined for anything that is not a cursor we issued. */
export function decodeCursor(cursor: string): number | undefined {
  const match = /^le:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** How names are compared: trimmed, Unicode-normalised (NFKC), case-folded. "Backend" and "backend " collide. */
export function keyNameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase();
}

function checkUniqueName(others: ApiKeyRow[], name: string): void {
  const wanted = keyNameKey(name);
  if (others.some((k) => k.name !== null && keyNameKey(k.name) === wanted)) throw new KeyNameTakenError(name);
}
