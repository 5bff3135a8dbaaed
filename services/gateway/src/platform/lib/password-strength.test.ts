import { judgePassword } from './password-strength';

describe('judgePassword (zxcvbn-ts)', () => {
  it.each(['1234567890', 'password123!', 'qwertyuiop', 'hunter2hunter2', 'aaaaaaaaaaaa'])(
    'refuses %p with a reason',
    (password) => {
      const verdict = judgePassword(password);
      expect(verdict.ok).toBe(false);
      expect(verdict.reason).toMatch(/^This password is too easy to guess: .+\.$/);
    },
  );

  it.each(['correct horse battery', 'blue-Giraffe-walks-7', 'new secret passphrase 42'])(
    'accepts %p',
    (password) => {
      expect(judgePassword(password)).toMatchObject({ ok: true });
    },
  );

  it('counts the e-mail address and the name as known to an attacker', () => {
    expect(judgePassword('zanzibarquux2', []).ok).toBe(true);
    const verdict = judgePassword('zanzibarquux2', ['zanzibar.quux@example.test']);
    expect(verdict.ok).toBe(false);
  });
});
