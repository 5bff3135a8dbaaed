import { Writable } from 'node:stream';
import type { Db } from '../../platform/db/connection';
import type { AccountRow, ReservationRow } from '../../platform/db/rows';
import { createLogger } from '../../platform/logger';
import type { AccountsRepository } from '../accounts/accounts.repository';
import type { BillingService, Hold, Settlement } from './billing.service';
import { MeteringService, type MeteredOutcome } from './metering.service';

const ACCOUNT: AccountRow = {
  id: 'acc_1',
  name: 'a',
  email: null,
  status: 'active',
  balance_micros: 1_000_000,
  reserved_micros: 0,
  price_verify_micros: null,
  price_analyze_micros: null,
  price_lookalike_micros: null,
  created_at: 0,
  updated_at: 0,
};

const HOLD: Hold = {
  reservation: {
    id: 'rsv_1',
    account_id: 'acc_1',
    endpoint: 'verify',
    amount_micros: 250_000,
    status: 'held',
    request_id: 'req_1',
    key_id: null,
    created_at: 0,
    settled_at: null,
  } satisfies ReservationRow,
};

/**
 * A billing whose reservation decides (calls onHeld) and then commits when `commit` is called: failing the commit
 * is a hold that never existed.
 */
function setup() {
  const events: string[] = [];
  let commit: (ok: boolean) => void = () => undefined;
  const settled: Settlement = { settled: true, chargedMicros: 250_000, availableMicros: 750_000 };
  const billing = {
    priceOf: () => 250_000,
    reserve: (...args: unknown[]) => {
      const onHeld = args[5] as (() => void) | undefined;
      events.push('held');
      onHeld?.();
      return new Promise<Hold>((resolve, reject) => {
        commit = (ok) => {
          events.push(ok ? 'committed' : 'commit failed');
          if (ok) resolve(HOLD);
          else reject(new Error('connection lost'));
        };
      });
    },
    capture: () => {
      events.push('capture');
      return Promise.resolve(settled);
    },
    release: () => {
      events.push('release');
      return Promise.resolve({ ...settled, chargedMicros: 0 });
    },
  } as unknown as BillingService;
  const metering = new MeteringService({
    db: {} as Db,
    accounts: {} as AccountsRepository,
    billing,
    logger: createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() })),
  });
  const work = (): Promise<MeteredOutcome> => {
    events.push('work');
    return Promise.resolve({ billable: true, render: (charged) => ({ charged }) });
  };
  const ctx = { accountId: 'acc_1', requestId: 'req_1' };
  return { events, metering, work, ctx, commit: (ok: boolean) => commit(ok) };
}

/** The engine call starts while its hold commits (the log flush is the longest wait of a reservation). */
describe('metering: the work starts once the funds are held', () => {
  it('before the hold has committed, and is settled only after', async () => {
    const { events, metering, work, ctx, commit } = setup();
    const result = metering.run(ctx, 'verify', ACCOUNT, work);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['held', 'work']);
    commit(true);
    await expect(result).resolves.toEqual({
      body: { charged: 0.25 },
      charge: { chargedMicros: 250_000, availableMicros: 750_000 },
    });
    expect(events).toEqual(['held', 'work', 'committed', 'capture']);
  });

  it('a hold that does not commit fails the call: its work is dropped, nothing is settled', async () => {
    const { events, metering, work, ctx, commit } = setup();
    const result = metering.run(ctx, 'verify', ACCOUNT, work);
    await new Promise((resolve) => setImmediate(resolve));
    commit(false);
    await expect(result).rejects.toThrow('connection lost');
    expect(events).toEqual(['held', 'work', 'commit failed']);
  });
});
