import * as grpc from '@grpc/grpc-js';
import request from 'supertest';
import {
  LOW_RESEMBLANCE,
  NOT_VERIFIED,
  ONE_FACE_ANALYSIS,
  SAME_PERSON,
  VERIFIED,
} from '@deepface/fake-engine';
import { asBase64, pngImage } from '../factories/images';
import { createCustomer, startGateway, type TestGateway } from '../helpers/app';
import type { DbKind } from '../helpers/database';
import { BillingService } from '../../src/features/billing/billing.service';

const IMG = asBase64(pngImage(16, 16));
const PAIR = { img1: IMG, img2: IMG };

/** Success-only billing, on MariaDB and on SQLite (the same knex code). */
describe.each<DbKind>(['mysql', 'sqlite'])('billing (%s)', (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway({ db: kind, env: { ENGINE_TIMEOUT_MS: '500', ENGINE_BREAKER_VOLUME: '1000' } });
  });
  afterAll(async () => {
    await gw.close();
  });
  beforeEach(() => {
    gw.engine.resetCalls();
    gw.engine.behaviour = {
      Verify: { kind: 'ok', response: VERIFIED },
      Compare: { kind: 'ok', response: SAME_PERSON },
      Analyze: { kind: 'ok', response: ONE_FACE_ANALYSIS },
      ReadDocument: { kind: 'ok' },
    };
  });

  async function state(accountId: string) {
    const a = await gw.services.accounts.getAccount(accountId);
    const held = await gw.services.repos.reservations.countHeld(gw.db, accountId);
    return { balance: a.balance_micros, reserved: a.reserved_micros, held };
  }

  it.each([
    ['verify verified', '/v1/verify', PAIR, 250_000],
    ['analyze success', '/v1/analyze', { image: IMG, actions: ['age'] }, 300_000],
    ['look-alike verified', '/v1/lookalike', PAIR, 200_000],
  ])('%s is charged its price', async (_name, path, body, price) => {
    const { key, account } = await createCustomer(gw);
    const res = await request(gw.app).post(path).set('X-API-KEY', key).send(body);
    expect(res.status).toBe(200);
    expect(res.body.billing).toEqual({ charged: price / 1e6, currency: 'USD' });
    expect(await state(account.id)).toEqual({ balance: 10_000_000 - price, reserved: 0, held: 0 });
  });

  it('per-account prices override the defaults', async () => {
    const { key, account } = await createCustomer(gw, { prices: { verify: 100_000 } });
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(PAIR);
    expect(res.body.billing.charged).toBe(0.1);
    expect((await state(account.id)).balance).toBe(9_900_000);
  });

  const unbilled: Array<[string, string, object, (g: TestGateway) => void, number]> = [
    [
      'not verified',
      '/v1/verify',
      PAIR,
      (g) => (g.engine.behaviour.Verify = { kind: 'ok', response: NOT_VERIFIED }),
      200,
    ],
    [
      'low resemblance',
      '/v1/lookalike',
      PAIR,
      (g) => (g.engine.behaviour.Compare = { kind: 'ok', response: LOW_RESEMBLANCE }),
      200,
    ],
    ['invalid image (gateway)', '/v1/verify', { img1: 'bm90IGFuIGltYWdl', img2: IMG }, () => undefined, 400],
    [
      'no face (engine)',
      '/v1/analyze',
      { image: IMG },
      (g) =>
        (g.engine.behaviour.Analyze = {
          kind: 'error',
          code: grpc.status.INVALID_ARGUMENT,
          detail: { reason: 'NO_FACE', message: '' },
        }),
      400,
    ],
    [
      'analysis with 0 faces',
      '/v1/analyze',
      { image: IMG },
      (g) => (g.engine.behaviour.Analyze = { kind: 'ok', response: { faces: [] } }),
      400,
    ],
    [
      'engine unavailable',
      '/v1/verify',
      PAIR,
      (g) => (g.engine.behaviour.Verify = { kind: 'error', code: grpc.status.UNAVAILABLE }),
      503,
    ],
    ['engine timeout', '/v1/lookalike', PAIR, (g) => (g.engine.behaviour.Compare = { kind: 'stall' }), 504],
  ];
  it.each(unbilled)(
    '%s: 0 charged, balance unchanged, no hold left',
    async (_name, path, body, setup, status) => {
      const { key, account } = await createCustomer(gw);
      setup(gw);
      const res = await request(gw.app).post(path).set('X-API-KEY', key).send(body);
      expect(res.status).toBe(status);
      if (status === 200) {
        expect(res.body.billing).toEqual({ charged: 0, currency: 'USD' });
        expect(res.headers['x-billing-charged']).toBe('0.00');
        expect(res.headers['x-balance-remaining']).toBe('10.00');
      }
      expect(await state(account.id)).toEqual({ balance: 10_000_000, reserved: 0, held: 0 });
      expect(await gw.services.accounts.reconcile(account.id)).toEqual([]);
    },
  );

  it('402 before any engine call when the balance is short', async () => {
    const { key, account } = await createCustomer(gw, { balanceMicros: 240_000 });
    const res = await request(gw.app).post('/v1/verify').set('X-API-KEY', key).send(PAIR);
    expect(res.status).toBe(402);
    expect(res.body).toEqual({
      error: 'Payment Required',
      message: 'Insufficient balance to complete this verification. Please add credits to your account.',
      status: 402,
      current_balance: 0.24,
      required_amount: 0.25,
      hint: 'Add credit to the account on the dashboard’s billing page, then retry.',
      request_id: res.headers['x-request-id'],
    });
    expect(gw.engine.totalCalls()).toBe(0);
    expect(await state(account.id)).toEqual({ balance: 240_000, reserved: 0, held: 0 });
  });

  it('the reaper releases a reservation a crashed request left behind, exactly once', async () => {
    const { account } = await createCustomer(gw);
    const hold = await gw.services.billing.reserve(account.id, 'verify', 250_000, 'req_crashed');
    expect(await state(account.id)).toEqual({ balance: 10_000_000, reserved: 250_000, held: 1 });
    // Not stale yet: nothing happens.
    expect(await gw.services.billing.reapStale()).toBe(0);
    // Pretend the TTL has passed.
    const later = new BillingService({
      db: gw.db,
      ...gw.services.repos,
      config: gw.config,
      now: () => Date.now() + (gw.config.billing.reservationTtlS + 1) * 1000,
    });
    expect(await later.reapStale()).toBe(1);
    expect(await later.reapStale()).toBe(0);
    expect(await state(account.id)).toEqual({ balance: 10_000_000, reserved: 0, held: 0 });
    // A late capture by the crashed request changes nothing.
    expect(await gw.services.billing.capture(hold)).toMatchObject({ settled: false, chargedMicros: 0 });
    expect(await state(account.id)).toEqual({ balance: 10_000_000, reserved: 0, held: 0 });
    expect(await gw.services.accounts.reconcile(account.id)).toEqual([]);
  });

  it('admin credit and debit go through the ledger; a debit never takes held or missing funds', async () => {
    const { account } = await createCustomer(gw, { balanceMicros: 1_000_000 });
    await gw.services.billing.adjust(account.id, 'credit', 500_000, 'top-up');
    await gw.services.billing.adjust(account.id, 'debit', 200_000, 'correction');
    await expect(
      gw.services.billing.adjust(account.id, 'debit', 5_000_000, 'too much'),
    ).rejects.toMatchObject({
      status: 402,
    });
    expect((await state(account.id)).balance).toBe(1_300_000);
    expect(await gw.services.accounts.reconcile(account.id)).toEqual([]);
    const reasons = (await gw.db('ledger_entries').where({ account_id: account.id }).orderBy('id')).map(
      (e: { type: string; reason: string | null }) => `${e.type}:${e.reason}`,
    );
    expect(reasons).toEqual(['credit:opening balance', 'credit:top-up', 'debit:correction']);
  });

  // Matched on the message, not with toThrow: better-sqlite3's native addon keeps the SqliteError class of the first
  // test file that loaded it in this jest worker, so its errors can come from another realm and fail `instanceof`.
  const refusal = (pattern: RegExp) => ({ message: expect.stringMatching(pattern) as unknown });

  it('the ledger is append-only: the database refuses updates and deletes', async () => {
    const { account } = await createCustomer(gw);
    const ledger = () => gw.db('ledger_entries').where({ account_id: account.id });
    expect(await ledger()).toHaveLength(1);
    await expect(ledger().update({ amount_micros: 1 })).rejects.toMatchObject(refusal(/append-only/));
    await expect(ledger().delete()).rejects.toMatchObject(refusal(/append-only/));
    expect(await ledger()).toHaveLength(1);
  });

  it('the balance can never go below the reserved amount (database constraint)', async () => {
    const { account } = await createCustomer(gw, { balanceMicros: 100 });
    await expect(
      gw.db('accounts').where({ id: account.id }).update({ balance_micros: -1 }),
    ).rejects.toMatchObject(refusal(/check|constraint/i));
    expect((await gw.services.accounts.getAccount(account.id)).balance_micros).toBe(100);
  });
});
