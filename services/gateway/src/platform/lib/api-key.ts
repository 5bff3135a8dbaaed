import { createHash, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { randomBase62, toBase62 } from './ids';

/**
 * API keys in GitHub's token style: `df_live_` or `df_test_`, 30 random base62 characters (~178 bits), then a
 * 6-character base62 CRC32 of everything before it. The checksum lets us reject typos and random strings without a
 * database query; the random part makes the key unguessable, so a plain SHA-256 is a sufficient stored hash.
 */
export type KeyMode = 'live' | 'test';

const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const KEY_PATTERN = /^df_(live|test)_([0-9A-Za-z]{30})([0-9A-Za-z]{6})$/;
/** Characters of the key shown in listings (`df_live_AbCd`), enough to recognise it, far too few to use it. */
const DISPLAY_PREFIX_LENGTH = 12;

function checksumOf(body: string): string {
  return toBase62(crc32(body), CHECKSUM_LENGTH);
}

export function generateApiKey(mode: KeyMode): { key: string; hash: string; prefix: string } {
  const body = `df_${mode}_${randomBase62(RANDOM_LENGTH)}`;
  const key = body + checksumOf(body);
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** The key's mode when its shape and checksum are valid, else undefined (no I/O). */
export function parseApiKey(candidate: string): { mode: KeyMode } | undefined {
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return undefined;
  const body = candidate.slice(0, candidate.length - CHECKSUM_LENGTH);
  if (checksumOf(body) !== match[3]) return undefined;
  return { mode: match[1] as KeyMode };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
