import type { RequestHandler } from 'express';
import { newId } from '../../lib/ids';
import '../locals';

const CLIENT_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Every response carries X-Request-Id; a well-formed id sent by the client (tracing) is kept, others replaced. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && CLIENT_ID.test(incoming) ? incoming : newId('req');
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
