import type { ResetMailer } from '../../src/features/dashboard/reset-mailer';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, PASSWORD, uniqueEmail } from '../helpers/dashboard';

/**
 * What an anonymous caller learns about whether an e-mail address has a dashboard account (issue 17; the decision
 * is in the README's "Account enumeration"): sign-in and password reset answer the same either way; sign-up says
 * 409 email_taken (the account is usable at once, so a new address cannot get the same answer), and each attempt,
 * taken or not, spends one of the client's sign-ups per hour before the address is even looked up, so probing is
 * as slow as trial farming and stops with the same 429 for every address.
 */
describe('account enumeration (SQLite)', () => {
  let gw: TestGateway;
  let client: ReturnType<typeof dashboardClient>;
  const mailed: string[] = [];
  const mailer: ResetMailer = {
    send(to) {
      mailed.push(to);
      return Promise.resolve();
    },
  };

  beforeAll(async () => {
    gw = await startGateway({
      db: 'sqlite',
      resetMailer: mailer,
      env: { PASSWORD_SCRYPT_LOG2N: '12', SIGNUPS_PER_IP_PER_HOUR: '3', LOGIN_MAX_FAILURES: '10' },
    });
    client = dashboardClient(gw.app);
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** Status and body without the request id (which differs on every answer). */
  const answer = (res: { status: number; body: Record<string, unknown> }) => {
    const { request_id: _id, ...body } = res.body;
    return { status: res.status, body };
  };

  it('sign-in and password reset answer a known and an unknown address alike', async () => {
    const known = await client.signUp(); // 1 of the 3 sign-ups
    const unknown = uniqueEmail();
    const signIn = (email: string) => client.post('/login', { email, password: 'wrong password 123' });
    expect(answer(await signIn(known.email))).toEqual(answer(await signIn(unknown)));
    expect((await signIn(unknown)).status).toBe(401);
    const reset = (email: string) => client.post('/password-reset/request', { email });
    const [a, b] = [await reset(known.email), await reset(unknown)];
    expect(a.status).toBe(202);
    expect(answer(a)).toEqual(answer(b));
    // Only the owner gets an e-mail (issued after the answer).
    for (let i = 0; i < 100 && mailed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(mailed).toEqual([known.email]);
  });

  it('sign-up says 409 for a taken address, but every probe spends a sign-up: then 429 for any address', async () => {
    const taken = mailed[0]!;
    const signUp = (email: string) => client.post('/signup', { email, name: 'Probe', password: PASSWORD });
    const first = await signUp(taken); // 2 of 3
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({ result: 'email_taken', details: { field: 'email' } });
    expect(JSON.stringify(first.body)).not.toMatch(/Acme|usr_|acc_/); // nothing about the account itself
    expect((await signUp(taken.toUpperCase())).status).toBe(409); // 3 of 3
    // The allowance is spent: a taken and a new address now get the same 429, before any lookup.
    const [again, fresh] = [await signUp(taken), await signUp(uniqueEmail())];
    expect(again.status).toBe(429);
    // (The wait, in minutes, is left out: a minute may turn between the two answers.)
    const shape = (res: typeof again) => ({
      ...answer(res),
      body: { ...res.body, request_id: 0, message: 0 },
    });
    expect(shape(again)).toEqual(shape(fresh));
    expect(again.body.result).toBe('too_many_attempts');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  });
});
