import request from 'supertest';
import { runAdmin } from '../../src/cli/admin';
import { ensureDemoAccount } from '../../src/bootstrap';
import { startGateway, type TestGateway } from '../helpers/app';

interface AccountOut {
  id: string;
  name: string;
  balance: number;
  status: string;
  prices: Record<string, number>;
}
interface KeyOut {
  id: string;
  mode: string;
  name: string | null;
  status: string;
  prefix: string;
}
interface Out {
  account: AccountOut;
  key: KeyOut;
  keys: KeyOut[];
  api_key: string;
  data: Array<{ type: string; reason: string | null }>;
}

describe('admin CLI (MariaDB)', () => {
  let gw: TestGateway;
  const admin = async (...argv: string[]) => (await runAdmin(argv, gw)) as Out;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('creates an account and a key that works; credits, debits, suspends, revokes; all as JSON', async () => {
    const { account } = await admin(
      'account:create',
      '--name',
      'Acme',
      '--balance',
      '2.50',
      '--price-verify',
      '0.10',
    );
    expect(account).toMatchObject({ name: 'Acme', balance: 2.5, status: 'active', prices: { verify: 0.1 } });

    const created = await admin('key:create', account.id, '--mode', 'live', '--name', 'ci');
    expect(created.api_key).toMatch(/^df_live_/);
    expect(created.key).toMatchObject({
      mode: 'live',
      name: 'ci',
      status: 'active',
      prefix: created.api_key.slice(0, 12),
    });
    expect(JSON.stringify(created.key)).not.toContain(created.api_key);
    const me = await request(gw.app).get('/v1/account').set('X-API-KEY', created.api_key);
    expect(me.body.account.id).toBe(account.id);

    expect((await admin('account:credit', account.id, '10', '--reason', 'invoice 7')).account.balance).toBe(
      12.5,
    );
    expect((await admin('account:debit', account.id, '0.5', '--reason', 'refund fix')).account.balance).toBe(
      12,
    );
    await expect(admin('account:credit', account.id, '1')).rejects.toThrow(/--reason/);
    await expect(admin('account:credit', account.id, '1.2.3', '--reason', 'x')).rejects.toThrow(/dollars/);
    await expect(admin('account:credit', account.id, '0', '--reason', 'x')).rejects.toThrow(/positive/);

    const usage = await admin('usage', account.id);
    expect(usage.data.map((e) => `${e.type}:${e.reason}`)).toEqual([
      'debit:refund fix',
      'credit:invoice 7',
      'credit:opening balance',
    ]);

    expect((await admin('account:suspend', account.id)).account.status).toBe('suspended');
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', created.api_key)).status).toBe(403);
    expect((await admin('account:reactivate', account.id)).account.status).toBe('active');

    const revoked = await admin('key:revoke', created.key.id);
    expect(revoked.key.status).toBe('revoked');
    expect((await request(gw.app).get('/v1/account').set('X-API-KEY', created.api_key)).status).toBe(401);
    expect((await admin('key:list', account.id)).keys).toHaveLength(1);

    expect(await admin('reconcile')).toEqual({ mismatches: [], ok: true });
    expect(await admin('reap')).toEqual({ released: 0 });
    await expect(admin('nonsense')).rejects.toThrow(/unknown command/);
    await expect(admin('account:show', 'acct_missing')).rejects.toThrow(/not found/);
  });

  it('creates the demo account only on the very first start', async () => {
    const fresh = await startGateway({ db: 'sqlite' });
    try {
      const demo = await ensureDemoAccount(fresh.services);
      expect(demo?.apiKey).toMatch(/^df_live_/);
      expect(await ensureDemoAccount(fresh.services)).toBeUndefined();
      const res = await request(fresh.app).get('/v1/account').set('X-API-KEY', demo!.apiKey);
      expect(res.body.account).toMatchObject({ name: 'Demo', balance: 10 });
    } finally {
      await fresh.close();
    }
  });
});
