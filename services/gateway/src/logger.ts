import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Request bodies are never logged (they hold images); headers that carry secrets are
 * redacted in case an object holding them is ever logged.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers["x-api-key"]',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers["x-api-key"]',
          'headers.authorization',
          'apiKey',
          'key',
          'body',
          'img1',
          'img2',
          'image',
        ],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
