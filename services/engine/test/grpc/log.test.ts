import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';

function capture(): { stream: Writable; lines: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, lines: () => chunks.join('') };
}

describe('engine logger', () => {
  it('never writes image bytes, only their size', () => {
    const { stream, lines } = capture();
    const logger = createLogger('info', stream);
    const secret = Buffer.from('SECRET-PIXELS');
    logger.info({ request: { img1: secret, img2: secret }, image: secret }, 'a call');
    const out = lines();
    expect(out).not.toContain('SECRET');
    expect(out).not.toContain(secret.toString('base64'));
    expect(out).toContain(`[${secret.byteLength} bytes]`);
  });
});
