import { parseArgs } from 'node:util';
import { createAccountServices } from '../composition';
import { ENDPOINTS, loadConfigOrExit, type Config, type Endpoint } from '../platform/config';
import { createDb, migrateLatest, type Db } from '../platform/db/connection';
import { AppError } from '../platform/errors/app-error';
import { createLogger, type Logger } from '../platform/logger';
import { parseDollars } from '../platform/lib/money';
import { accountView, decodeCursor, keyView, ledgerView } from '../features/accounts/accounts.service';

export const USAGE = `Usage: pnpm admin <command> [args] [--options]   (prints JSON)

  migrate                                   apply pending database migrations
  account:create --name N [--email E] [--balance 10.00]
                 [--price-verify 0.25] [--price-analyze 0.30] [--price-lookalike 0.20]
  account:list
  account:show <accountId>
  account:credit <accountId> <amount> --reason R
  account:debit <accountId> <amount> --reason R
  account:suspend <accountId>
  account:reactivate <accountId>
  key:create <accountId> [--mode live|test] [--name N]   (the key is shown once)
  key:list <accountId>
  key:revoke <keyId>
  usage <accountId> [--limit 20] [--cursor C]
  reconcile                                 accounts whose balance differs from their ledger
  reap                                      release reservations older than RESERVATION_TTL_S
`;

class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  email: { type: 'string' },
  balance: { type: 'string' },
  'price-verify': { type: 'string' },
  'price-analyze': { type: 'string' },
  'price-lookalike': { type: 'string' },
  reason: { type: 'string' },
  mode: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function money(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDollars(text);
  } catch {
    throw new UsageError(`${what} must be an amount in dollars, e.g. 10 or 0.25`);
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** Runs one admin command against `db`; returns the JSON to print. Exported for tests. */
export async function runAdmin(
  argv: string[],
  deps: { db: Db; config: Config; logger: Logger },
): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...args] = positionals;
  if (values.help || !command) throw new UsageError('');
  const services = createAccountServices(deps);
  const { accounts, billing } = services;

  switch (command) {
    case 'migrate':
      return { applied: await migrateLatest(deps.db) };
    case 'account:create': {
      const prices: Partial<Record<Endpoint, number>> = {};
      for (const endpoint of ENDPOINTS) {
        const price = money(values[`price-${endpoint}`], `--price-${endpoint}`);
        if (price !== undefined) prices[endpoint] = price;
      }
      const account = await accounts.createAccount({
        name: required(values.name, '--name'),
        email: values.email ?? null,
        balanceMicros: money(values.balance, '--balance') ?? 0,
        prices,
      });
      return { account: accountView(account, billing) };
    }
    case 'account:list':
      return { accounts: (await accounts.listAccounts()).map((a) => accountView(a, billing)) };
    case 'account:show':
      return { account: accountView(await accounts.getAccount(required(args[0], '<accountId>')), billing) };
    case 'account:credit':
    case 'account:debit': {
      const amount = money(required(args[1], '<amount>'), '<amount>')!;
      if (amount <= 0) throw new UsageError('<amount> must be positive');
      const account = await billing.adjust(
        required(args[0], '<accountId>'),
        command === 'account:credit' ? 'credit' : 'debit',
        amount,
        required(values.reason, '--reason'),
      );
      return { account: accountView(account, billing) };
    }
    case 'account:suspend':
    case 'account:reactivate': {
      const status = command === 'account:suspend' ? 'suspended' : 'active';
      return {
        account: accountView(await accounts.setStatus(required(args[0], '<accountId>'), status), billing),
      };
    }
    case 'key:create': {
      const mode = values.mode ?? 'live';
      if (mode !== 'live' && mode !== 'test') throw new UsageError('--mode must be live or test');
      const { key, row } = await accounts.createKey(required(args[0], '<accountId>'), mode, values.name);
      return { key: keyView(row), api_key: key, note: 'Store this key now: it is shown only once.' };
    }
    case 'key:list':
      return { keys: (await accounts.listKeys(required(args[0], '<accountId>'))).map(keyView) };
    case 'key:revoke':
      return { key: keyView(await accounts.revokeKey(required(args[0], '<keyId>'))) };
    case 'usage': {
      const limit = Number(values.limit ?? '20');
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('--limit must be 1..1000');
      const beforeId = values.cursor === undefined ? undefined : decodeCursor(values.cursor);
      if (values.cursor !== undefined && beforeId === undefined)
        throw new UsageError('--cursor is not valid');
      const accountId = required(args[0], '<accountId>');
      await accounts.getAccount(accountId);
      const page = await accounts.usage(accountId, { beforeId, limit });
      return { data: page.entries.map(ledgerView), next_cursor: page.nextCursor };
    }
    case 'reconcile': {
      const mismatches = await accounts.reconcile();
      return { mismatches, ok: mismatches.length === 0 };
    }
    case 'reap':
      return { released: await billing.reapStale() };
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  // Logs go to stderr so stdout stays pure JSON.
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const db = createDb(config, logger);
  try {
    const argv = process.argv.slice(2);
    // Commands other than migrate need the schema: an embedded SQLite database is created on first use.
    if (config.db.migrateOnStart && argv[0] !== 'migrate') await migrateLatest(db);
    const result = await runAdmin(argv, { db, config, logger });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (error) {
    const e = error as Error & { code?: string };
    if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      if (e.message) process.stderr.write(`${JSON.stringify({ error: e.message })}\n`);
      process.stderr.write(USAGE);
      return 2;
    }
    const message = error instanceof AppError ? error.message : String(e.message ?? error);
    process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
