import type { RequestHandler } from 'express';
import type { Logger } from '../../logger';
import '../locals';

/** One line per request: never the body, the query string or a header value (keys, images, base64 stay out). */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.info(
        {
          req_id: res.locals.requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          duration_ms: Math.round(ms * 10) / 10,
          account_id: res.locals.principal?.accountId,
          key_id: res.locals.principal?.keyId,
        },
        'request',
      );
    });
    next();
  };
}
