import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Config } from '../../platform/config';
import { CsrfError, SessionRequiredError } from './session-errors';
import type { SessionRow } from './sessions.repository';
import type { UserRow } from './users.repository';
import type { SessionsService } from './sessions.service';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The dashboard session of this request, when its cookie names a live one. */
      dashboard?: { user: UserRow; session: SessionRow; token: string };
    }
  }
}

/**
 * The dashboard's session cookie: `__Host-df_session` (Secure, HttpOnly, SameSite=Lax, Path=/, no Domain), which
 * browsers accept over http://localhost too. SESSION_COOKIE_SECURE=false (plain-http LAN setups) drops Secure and
 * with it the `__Host-` prefix, which requires it.
 */
export function cookieName(config: Pick<Config, 'dashboard'>): string {
  return config.dashboard.secureCookie ? '__Host-df_session' : 'df_session';
}

export function sessionToken(req: Request, config: Pick<Config, 'dashboard'>): string | undefined {
  const header = req.get('cookie');
  return header ? parseCookie(header)[cookieName(config)] : undefined;
}

export function setSessionCookie(res: Response, config: Pick<Config, 'dashboard'>, token: string): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie(cookieName(config), token, {
      httpOnly: true,
      secure: config.dashboard.secureCookie,
      sameSite: 'lax',
      path: '/',
      maxAge: Math.floor(config.dashboard.sessionTtlMs / 1000),
    }),
  );
}

export function clearSessionCookie(res: Response, config: Pick<Config, 'dashboard'>): void {
  res.append(
    'Set-Cookie',
    stringifySetCookie(cookieName(config), '', {
      httpOnly: true,
      secure: config.dashboard.secureCookie,
      sameSite: 'lax',
      path: '/',
      maxAge: 0,
    }),
  );
}

/** Loads the session named by the cookie (if any) into res.locals.dashboard. */
export function loadSession(sessions: SessionsService, config: Pick<Config, 'dashboard'>): RequestHandler {
  return async (req, res, next) => {
    const token = sessionToken(req, config);
    const active = await sessions.resolve(token);
    if (active && token) res.locals.dashboard = { ...active, token };
    next();
  };
}

export function requireSession(): RequestHandler {
  return (_req, res, next) => {
    if (!res.locals.dashboard) throw new SessionRequiredError();
    next();
  };
}

/**
 * Cross-site request defences for every state-changing dashboard request: the browser must say it is same-origin
 * (Sec-Fetch-Site, Origin), and, once signed in, echo the session's CSRF token in X-CSRF-Token. A cross-site form
 * cannot send JSON or custom headers without a CORS preflight, which this server never grants. Host must be one of
 * PUBLIC_ORIGIN's, and Origin (when sent) one of them for that same host: a DNS-rebinding page (its own name
 * resolving to this server) sends Host and Origin of its own name, which no comparison of the two would catch.
 */
export function sameOrigin(publicOrigins: readonly string[]): RequestHandler {
  const origins = new Set(publicOrigins);
  const hosts = new Set(publicOrigins.map((origin) => new URL(origin).host));
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const site = req.get('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') throw new CsrfError();
    const host = req.get('host')?.toLowerCase();
    if (!host || !hosts.has(host)) throw new CsrfError();
    const origin = req.get('origin');
    if (origin !== undefined && (!origins.has(origin) || new URL(origin).host !== host))
      throw new CsrfError();
    next();
  };
}

export function requireCsrf(): RequestHandler {
  return (req, res, next) => {
    const expected = res.locals.dashboard?.session.csrf_token;
    const sent = req.get('x-csrf-token');
    if (!expected || !sent) throw new CsrfError();
    // Compared as bytes: a non-ASCII header of the right length in characters is longer in bytes.
    const [a, b] = [Buffer.from(sent), Buffer.from(expected)];
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new CsrfError();
    next();
  };
}
