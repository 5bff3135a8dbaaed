// Structured logs (pino, JSON on stdout). Image bytes are never logged: callers log sizes, and the redaction
// below is a safety net in case a request object slips into a log line anyway.
import pino, { type Logger } from 'pino';

export type { Logger };

const IMAGE_FIELDS = ['img1', 'img2', 'image'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: 'engine',
      level,
      redact: {
        paths: IMAGE_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
        censor: (value) => (value instanceof Uint8Array ? `[${value.byteLength} bytes]` : '[redacted]'),
      },
    },
    destination,
  );
}
