import { hashPassword, verifyPassword } from './password';

const FAST = { log2N: 10, r: 8, p: 1 };

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple', FAST);
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct');
    await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapl', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('uses the memory-hard OWASP parameters by default', async () => {
    const hash = await hashPassword('x');
    expect(hash.startsWith('scrypt$17$8$1$')).toBe(true);
  });

  it('refuses malformed stored hashes without throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$1$1$$', 'scrypt$40$8$1$AAAA$AAAA', 'bcrypt$2$8$1$a$b']) {
      await expect(verifyPassword('x', stored)).resolves.toBe(false);
    }
  });
});
