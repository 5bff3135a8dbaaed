import request from 'supertest';
import type { ResetMailer } from '../../src/features/dashboard/reset-mailer';
import { startGateway, type TestGateway } from '../helpers/app';
import { dashboardClient, PASSWORD, sessionCookie, uniqueEmail } from '../helpers/dashboard';

/** A mailer that keeps what it was asked to send; `next()` waits for the next e-mail. */
function captureMailer() {
  const sent: Array<{ to: string; link: string }> = [];
  const waiting: Array<(mail: { to: string; link: string }) => void> = [];
  const mailer: ResetMailer = {
    send(to, link) {
      const mail = { to, link };
      const waiter = waiting.shift();
      if (waiter) waiter(mail);
      else sent.push(mail);
      return Promise.resolve();
    },
  };
  const next = () =>
    new Promise<{ to: string; link: string }>((resolve) => {
      const mail = sent.shift();
      if (mail) resolve(mail);
      else waiting.push(resolve);
    });
  return { mailer, sent, next };
}

const tokenOf = (link: string) => new URL(link).hash.replace(/^#\/reset\?token=/, '');
const NEW_PASSWORD = 'violet tandem orchard 58';

describe('password reset by e-mail (MariaDB + Redis)', () => {
  let gw: TestGateway;
  const mail = captureMailer();
  let client: ReturnType<typeof dashboardClient>;

  beforeAll(async () => {
    gw = await startGateway({
      redis: true,
      resetMailer: mail.mailer,
      env: { PASSWORD_SCRYPT_LOG2N: '12', LOGIN_MAX_FAILURES: '3', SIGNUPS_PER_IP_PER_HOUR: '1000' },
    });
    client = dashboardClient(gw.app);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const ask = (email: string) => client.post('/password-reset/request', { email });
  const confirm = (token: string, password: string) =>
    client.post('/password-reset/confirm', { token, password });

  it('answers the same for a known and an unknown address, and mails a link only to the known one', async () => {
    const user = await client.signUp();
    const known = await ask(user.email);
    const unknown = await ask(uniqueEmail());
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    const sent = await mail.next();
    expect(sent.to).toBe(user.email);
    expect(sent.link).toMatch(/^http:\/\/localhost:8080\/dashboard\/#\/reset\?token=[A-Za-z0-9_-]{43}$/);
    expect(mail.sent).toHaveLength(0);
    // Only a hash of the token is stored; neither the token nor the address reaches the log.
    const token = tokenOf(sent.link);
    const rows = await gw.db('password_resets').select();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(gw.logs.join('\n')).not.toContain(token);
    expect(gw.logs.join('\n')).not.toContain(user.email);
  });

  it('sets the new password once, signs every session out, and refuses the link a second time', async () => {
    const user = await client.signUp();
    const other = await client.signIn(user.email);
    await ask(user.email);
    const token = tokenOf((await mail.next()).link);

    const weak = await confirm(token, '1234567890');
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ result: 'weak_password', details: { field: 'password' } });
    expect(weak.body.message).not.toMatch(/^password:/);

    const done = await confirm(token, NEW_PASSWORD);
    expect(done.status).toBe(200);
    for (const session of [user, other]) {
      expect((await client.get('/session', session)).body.user).toBeNull();
    }
    expect((await client.post('/login', { email: user.email, password: PASSWORD })).status).toBe(401);
    const signedIn = await client.post('/login', { email: user.email, password: NEW_PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(sessionCookie(signedIn)).toMatch(/^__Host-df_session=/);

    const again = await confirm(token, 'another fine passphrase 7');
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      status: 'failed',
      result: 'reset_token_invalid',
      message: 'This password reset link is invalid, expired or already used. Ask for a new one.',
      hint: expect.stringMatching(/^Ask for a new password reset link/),
      request_id: again.headers['x-request-id'],
    });
  });

  it('refuses an expired link, a link replaced by a newer one, and a made-up token', async () => {
    const user = await client.signUp();
    await ask(user.email);
    const first = tokenOf((await mail.next()).link);
    await ask(user.email);
    const second = tokenOf((await mail.next()).link);
    expect((await confirm(first, NEW_PASSWORD)).body.result).toBe('reset_token_invalid');

    await gw
      .db('password_resets')
      .whereNull('used_at')
      .update({ expires_at: Date.now() - 1 });
    expect((await confirm(second, NEW_PASSWORD)).body.result).toBe('reset_token_invalid');
    expect((await confirm('x'.repeat(43), NEW_PASSWORD)).body.result).toBe('reset_token_invalid');
    expect((await client.post('/login', { email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it('throttles requests per address and client like sign-in, known address or not', async () => {
    for (const email of [(await client.signUp()).email, uniqueEmail()]) {
      for (let i = 0; i < 3; i++) expect((await ask(email)).status).toBe(202);
      const limited = await ask(email);
      expect(limited.status).toBe(429);
      expect(limited.body.result).toBe('too_many_attempts');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    while (mail.sent.length) mail.sent.shift();
  });

  it('puts form errors under their field, without a field prefix', async () => {
    const bad = await client.post('/signup', { email: 'not-an-email', name: 'X', password: NEW_PASSWORD });
    expect(bad.body).toMatchObject({
      result: 'invalid_input',
      message: 'Enter a valid e-mail address.',
      details: { field: 'email' },
    });
    const weak = await client.post('/signup', { email: uniqueEmail(), name: 'X', password: '1234567890' });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ result: 'weak_password', details: { field: 'password' } });
    expect(weak.body.message).toMatch(/^This password is too easy to guess/);
    const user = await client.signUp();
    const taken = await client.post('/signup', { email: user.email, name: 'X', password: NEW_PASSWORD });
    expect(taken.body).toMatchObject({ result: 'email_taken', details: { field: 'email' } });
  });
});

describe('password reset without SMTP (SQLite, as in npm start)', () => {
  it('writes the link to the log, never the e-mail address', async () => {
    const gw = await startGateway({ db: 'sqlite', env: { PASSWORD_SCRYPT_LOG2N: '12' } });
    try {
      const client = dashboardClient(gw.app);
      const user = await client.signUp();
      const res = await request(gw.app)
        .post('/dashboard/api/password-reset/request')
        .set('Host', '127.0.0.1:8080')
        .set('Origin', 'http://127.0.0.1:8080')
        .send({ email: user.email });
      expect(res.status).toBe(202);
      // The link is issued after the answer: wait for its log line.
      let line: string | undefined;
      for (let i = 0; i < 500 && !line; i++) {
        line = gw.logs.find((l) => l.includes('reset_link'));
        if (!line) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(line).toBeDefined();
      const link = (JSON.parse(line!) as { reset_link: string }).reset_link;
      expect(gw.logs.join('\n')).not.toContain(user.email);
      expect(
        (await client.post('/password-reset/confirm', { token: tokenOf(link), password: NEW_PASSWORD }))
          .status,
      ).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
