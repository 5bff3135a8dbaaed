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
          // Stripe's secrets (config.topup.stripe), should an object holding them ever be logged.
          'secretKey',
          'webhookSecret',
          '*.secretKey',
          '*.webhookSecret',
        ],
        censor: '[redacted]',
      },
      serializers: { err: serializeError },
    },
    destination,
  );
}

/**
 * Database errors quote their statement with its values: knex prefixes the message with the SQL, bindings
 * interpolated ("insert into … values ('<a URL, an e-mail…>') - Data too long"), mysql2 adds `sql` and a
 * `sqlMessage` that may quote a value ("Duplicate entry '…'"). Only the codes and the stack's frames are logged.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as Record<string, unknown> | undefined;
  if (!out || typeof out !== 'object' || !isDatabaseError(err)) return out;
  const e = err as { code?: unknown; errno?: unknown; sqlState?: unknown; name?: unknown };
  const message = `database error ${typeof e.code === 'string' ? e.code : 'unknown'}`;
  // The stack's header repeats the message (with the statement): keep the frames only.
  const stack = typeof out.stack === 'string' ? out.stack : '';
  const at = stack.indexOf('\n    at ');
  const frames = at >= 0 ? stack.slice(at) : '';
  const safe: Record<string, unknown> = {
    type: out.type,
    message,
    stack: `${typeof e.name === 'string' ? e.name : 'Error'}: ${message}${frames}`,
  };
  for (const field of ['code', 'errno', 'sqlState'] as const)
    if (e[field] !== undefined) safe[field] = e[field];
  return safe;
}

function isDatabaseError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { sql?: unknown; sqlState?: unknown; sqlMessage?: unknown; code?: unknown };
  return (
    e.sql !== undefined ||
    e.sqlState !== undefined ||
    e.sqlMessage !== undefined ||
    (typeof e.code === 'string' && /^(ER_|SQLITE_)/.test(e.code))
  );
}
