import type { RequestHandler } from 'express';
import { routeLabel } from '../../platform/lib/route-label';
import type { AuthService } from './auth.service';
import '../../platform/http/locals';

/**
 * X-API-KEY before anything else: it reads only the header, so an unauthenticated request is answered before its
 * body is read or parsed (large bodies from strangers cost nothing).
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    res.locals.principal = await auth.authenticate(
      req.get('x-api-key'),
      routeLabel(req.method, req.originalUrl),
    );
    next();
  };
}
