import { generateApiKey, hashApiKey, parseApiKey } from './api-key';

describe('api keys', () => {
  it('generates keys that parse, with the mode, a display prefix and a SHA-256 hash', () => {
    const { key, hash, prefix } = generateApiKey('live');
    expect(key).toMatch(/^df_live_[0-9A-Za-z]{36}$/);
    expect(parseApiKey(key)).toEqual({ mode: 'live' });
    expect(hash).toBe(hashApiKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(parseApiKey(generateApiKey('test').key)).toEqual({ mode: 'test' });
  });

  it('generates distinct keys', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey('live').key));
    expect(keys.size).toBe(200);
  });

  it('rejects a key whose checksum does not match (one character changed)', () => {
    const { key } = generateApiKey('live');
    const i = 10;
    const changed = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    expect(parseApiKey(changed)).toBeUndefined();
    const badChecksum = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    expect(parseApiKey(badChecksum)).toBeUndefined();
  });

  it.each(['', 'YOUR_API_KEY', 'df_prod_abc', 'df_live_short', `df_live_${'a'.repeat(37)}`, ' df_live_x'])(
    'rejects malformed %p',
    (candidate) => {
      expect(parseApiKey(candidate)).toBeUndefined();
    },
  );
});
