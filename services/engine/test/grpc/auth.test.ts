import { createHash } from 'node:crypto';
import { tokenMatches } from '../../src/transport/grpc/auth';

describe('tokenMatches (constant-time check of ENGINE_AUTH_TOKEN)', () => {
  const expected = createHash('sha256').update('Bearer s3cret-token').digest();

  it('accepts only the exact value', () => {
    expect(tokenMatches('Bearer s3cret-token', expected)).toBe(true);
    expect(tokenMatches('Bearer s3cret-tokeN', expected)).toBe(false);
    expect(tokenMatches('s3cret-token', expected)).toBe(false);
  });

  it('never throws on other lengths, non-ASCII or non-string values (no early exit on length)', () => {
    for (const value of [
      '',
      'Bearer',
      'Bearer s3cret-token-and-more',
      'Bearer s3crét-tokén',
      undefined,
      Buffer.from('x'),
    ]) {
      expect(tokenMatches(value, expected)).toBe(false);
    }
  });
});
