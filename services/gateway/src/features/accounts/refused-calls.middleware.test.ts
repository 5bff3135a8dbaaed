import express from 'express';
import request from 'supertest';
import { Writable } from 'node:stream';
import type { Db } from '../../platform/db/connection';
import { createLogger } from '../../platform/logger';
import type { RefusedCallRow, RefusedCallsRepository } from './refused-calls.repository';
import { recordRefusedCalls } from './refused-calls.middleware';

/** The recorder of refused calls: after the response, never failing it, bounded, swept to its retention. */
function setup(opts: { failInsert?: boolean; perAccountPerMinute?: number } = {}) {
  const rows: Omit<RefusedCallRow, 'id'>[] = [];
  const sweeps: number[] = [];
  const logs: string[] = [];
  let inserted: () => void = () => undefined;
  const repo = {
    insert: (_q: unknown, row: Omit<RefusedCallRow, 'id'>) => {
      inserted();
      if (opts.failInsert) return Promise.reject(new Error('database down'));
      rows.push(row);
      return Promise.resolve();
    },
    deleteOlderThan: (_q: unknown, before: number) => {
      sweeps.push(before);
      return Promise.resolve(0);
    },
  } as unknown as RefusedCallsRepository;
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    }),
  );
  const now = 1_000_000_000_000;
  const app = express();
  app.use(
    recordRefusedCalls({
      db: {} as Db,
      repo,
      logger,
      now: () => now,
      retentionMs: 1000,
      ...(opts.perAccountPerMinute ? { perAccountPerMinute: opts.perAccountPerMinute } : {}),
    }),
  );
  app.use((req, res, next) => {
    if (req.get('x-api-key') === 'good')
      res.locals.principal = { accountId: 'acc_1', keyId: 'key_1', keyMode: 'live' };
    next();
  });
  app.post('/v1/verify', (req, res) => {
    const status = Number(req.query.status ?? 200);
    res
      .status(status)
      .json(status === 402 ? { error: 'Payment Required' } : { status: 'failed', result: 'invalid_input' });
  });
  const next = () => new Promise<void>((resolve) => (inserted = resolve));
  return { app, rows, sweeps, logs, now, next };
}

describe('recordRefusedCalls', () => {
  it('records a known account’s refusal (route, status, code), not successes or anonymous calls', async () => {
    const t = setup();
    const landed = t.next();
    expect((await request(t.app).post('/v1/verify?status=400').set('X-API-KEY', 'good')).status).toBe(400);
    await landed;
    expect((await request(t.app).post('/v1/verify?status=200').set('X-API-KEY', 'good')).status).toBe(200);
    expect((await request(t.app).post('/v1/verify?status=401')).status).toBe(401);
    const second = t.next();
    await request(t.app).post('/v1/verify?status=402').set('X-API-KEY', 'good');
    await second;
    expect(t.rows).toEqual([
      {
        account_id: 'acc_1',
        key_id: 'key_1',
        endpoint: 'POST /v1/verify',
        status: 400,
        code: 'invalid_input',
        created_at: t.now,
      },
      expect.objectContaining({ status: 402, code: 'insufficient_balance' }),
    ]);
    // The retention sweep ran once (at most every 10 minutes), for rows older than the window.
    expect(t.sweeps).toEqual([t.now - 1000]);
  });

  it('a failing write is logged and does not change the response', async () => {
    const t = setup({ failInsert: true });
    const landed = t.next();
    const res = await request(t.app).post('/v1/verify?status=400').set('X-API-KEY', 'good');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 'failed', result: 'invalid_input' });
    await landed;
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.logs.join('')).toContain('could not record a refused call');
  });

  it('writes at most perAccountPerMinute rows per account and minute', async () => {
    const t = setup({ perAccountPerMinute: 2 });
    for (let i = 0; i < 5; i++) await request(t.app).post('/v1/verify?status=429').set('X-API-KEY', 'good');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.rows).toHaveLength(2);
  });
});
