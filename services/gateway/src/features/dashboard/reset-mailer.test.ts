import { Writable } from 'node:stream';
import { createLogger } from '../../platform/logger';
import { LogResetMailer, type ResetMailer } from './reset-mailer';

/** Every JSON line a logger at `level` writes while the dev mailer "sends" one link. */
async function linesAt(level: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger(level, sink);
  logger.warn('an ordinary warning');
  const mailer: ResetMailer = new LogResetMailer(logger);
  await mailer.send('ada@example.test', 'http://localhost:8080/dashboard/#/reset?token=abc', 30);
  return lines;
}

describe('LogResetMailer (no SMTP_URL, as in npm start)', () => {
  it.each(['info', 'warn', 'error', 'silent'])(
    'writes the reset link at LOG_LEVEL=%s, never the address',
    async (level) => {
      const lines = await linesAt(level);
      const link = lines.filter((l) => typeof l.reset_link === 'string');
      expect(link).toHaveLength(1);
      expect(link[0]).toMatchObject({
        level: 40,
        component: 'dev-mailer',
        reset_link: 'http://localhost:8080/dashboard/#/reset?token=abc',
      });
      expect(JSON.stringify(lines)).not.toContain('ada@example.test');
      // The level still holds for everything else.
      expect(lines.some((l) => l.msg === 'an ordinary warning')).toBe(level === 'info' || level === 'warn');
    },
  );
});
