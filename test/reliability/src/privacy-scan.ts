import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Redis } from 'ioredis';

/**
 * The privacy scan (item 28): a random marker is embedded in JPEG images (a COM segment, so the pixels and the
 * faces are untouched); afterwards the marker must not appear anywhere the system can keep data — as raw bytes, as
 * hex, as base64 at every byte alignment (standard and URL-safe), or as the base64 of the image's own first bytes.
 */
export function newMarker(): string {
  return `PRIVACYMARK${randomBytes(12).toString('hex')}`;
}

/** The JPEG with a comment segment holding `marker` right after the start-of-image marker. */
export function withMarker(jpeg: Buffer, marker: string): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const text = Buffer.from(`deepface privacy test ${marker}`, 'latin1');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(text.length + 2);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe]), length, text, jpeg.subarray(2)]);
}

/** Every spelling of the marker (and of the images carrying it) that a leak could take. */
export function needlesFor(marker: string, images: Buffer[]): string[] {
  const raw = Buffer.from(marker, 'latin1');
  const needles = new Set<string>([marker, raw.toString('hex'), raw.toString('hex').toUpperCase()]);
  for (let shift = 0; shift < 3; shift++) {
    // Shifted by 0–2 bytes, then trimmed of the characters the unknown neighbours would change.
    const b64 = Buffer.concat([Buffer.alloc(shift, 0x41), raw]).toString('base64');
    const core = b64.slice(shift === 0 ? 0 : 4, -4);
    needles.add(core);
    needles.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  for (const image of images) {
    // The image's own encoding from its first byte (it covers the comment segment, so it is unique to this run).
    const b64 = image.toString('base64');
    needles.add(b64.slice(0, 64));
    needles.add(b64.slice(0, 64).replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...needles];
}

export interface Finding {
  where: string;
  needle: string;
}

export function findIn(where: string, haystack: Buffer | string, needles: string[]): Finding[] {
  const text = typeof haystack === 'string' ? haystack : haystack.toString('latin1');
  return needles.filter((n) => text.includes(n)).map((needle) => ({ where, needle }));
}

/** `mysqldump` of one database (binary columns as raw bytes, so a stored image would show). */
export function dumpDatabase(mysqlUrl: string): Promise<Buffer> {
  const u = new URL(mysqlUrl);
  const args = [
    `--host=${u.hostname}`,
    `--port=${u.port || '3306'}`,
    `--user=${decodeURIComponent(u.username || 'root')}`,
    '--skip-comments',
    '--single-transaction',
    u.pathname.slice(1),
  ];
  if (u.password) args.unshift(`--password=${decodeURIComponent(u.password)}`);
  return new Promise((resolve, reject) =>
    execFile(
      'mysqldump',
      args,
      { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`mysqldump failed: ${stderr.toString()}`)) : resolve(stdout),
    ),
  );
}

/** Every value under `prefix`: the typed contents of each key (strings, hashes, lists, sets, zsets, streams). */
export async function dumpRedis(redis: Redis, prefix: string): Promise<{ keys: number; text: string }> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const parts: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    let value: unknown;
    if (type === 'string') value = (await redis.getBuffer(key))?.toString('latin1');
    else if (type === 'hash') value = await redis.hgetall(key);
    else if (type === 'list') value = await redis.lrange(key, 0, -1);
    else if (type === 'set') value = await redis.smembers(key);
    else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') value = await redis.xrange(key, '-', '+');
    parts.push(`${key} ${type} ${JSON.stringify(value)}`);
  }
  return { keys: keys.length, text: parts.join('\n') };
}

/** The test harness's own job directories and jest's transform cache hold no data the services wrote. */
const SKIPPED_DIRS = /^(bash_jobs|jest_)/;

/** Regular files under `dir` (recursively) modified since `sinceMs`, up to `maxBytes` each; unreadable ones skipped. */
export function recentFiles(dir: string, sinceMs: number, maxBytes = 64 * 1024 * 1024, depth = 4): string[] {
  const found: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of entries) {
    const file = path.join(dir, name);
    try {
      const st = statSync(file);
      if (st.isDirectory()) {
        if (depth > 0 && !SKIPPED_DIRS.test(name))
          found.push(...recentFiles(file, sinceMs, maxBytes, depth - 1));
      } else if (st.isFile() && st.mtimeMs >= sinceMs && st.size <= maxBytes) found.push(file);
    } catch {
      // vanished or not ours
    }
  }
  return found;
}

export function scanFiles(files: string[], needles: string[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    try {
      findings.push(...findIn(file, readFileSync(file), needles));
    } catch {
      // vanished or unreadable (another user's)
    }
  }
  return findings;
}
