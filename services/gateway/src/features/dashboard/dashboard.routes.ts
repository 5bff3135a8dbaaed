import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { publicDir, scriptsDir } from '@deepface/dashboard';
import { Router, type Request, type Response } from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { AccountSlots } from '../../platform/redis/account-slots';
import type { Config } from '../../platform/config';
import { AccountRateLimitedError, RateLimitedError } from '../../platform/errors/app-error';
import { holdAccountSlot } from '../../platform/http/middleware/account-concurrency';
import { jsonBody } from '../../platform/http/middleware/json-body';
import {
  clearSessionCookie,
  loadSession,
  requireCsrf,
  requireSession,
  sameOrigin,
  sessionToken,
  setSessionCookie,
} from './session.middleware';
import type { DashboardService } from './dashboard.service';
import { SUPPORTED_FORMATS } from '../face/image.service';
import type { FaceService } from '../face/face.service';
import type { PasswordResetService } from './password-reset.service';
import type { SessionsService } from './sessions.service';
import type { UsersService } from './users.service';
import type { UserRow } from './users.repository';
import { PUBLIC_ACTIONS } from '../face/face.presenter';
import {
  signUpSchema,
  signInSchema,
  resetRequestSchema,
  resetSchema,
  passwordChangeSchema,
  newKeySchema,
  pairSchema,
  analyzeSchema,
  usageQuery,
  keyNameSchema,
  activityQuery,
  refusedQuery,
  exportQuery,
} from './dashboard.schemas';
import { SAMPLE_FACE, SAMPLE_ID_CARD, SAMPLE_SELFIE, SAMPLE_SELFIE_2 } from '../../openapi/samples';
import { billed, send } from '../../http/respond';
import { parseBody, parseForm } from '../../platform/validation';

/**
 * The dashboard: its page and assets under /dashboard, its JSON API under /dashboard/api (session cookie, CSRF
 * token, same-origin checks; see session.middleware.ts). Every data route needs the session and reads only the
 * signed-in user's own account.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET = /^[a-z0-9][a-z0-9-]*\.(css|svg|png|ico)$/;
const SCRIPT = /^\/dashboard\/js\/((?:views\/)?[a-z0-9][a-z0-9-]*\.js)$/;

export interface DashboardRouteDeps {
  config: Config;
  users: UsersService;
  sessions: SessionsService;
  passwordResets: PasswordResetService;
  dashboard: DashboardService;
  /** The playground: the public API's own face service, billed the same way to the user's account. */
  face: FaceService;
  rateLimiter: RateLimiterAbstract;
  /** The account's own limits: the playground's calls count with its API calls. */
  accountLimiter: RateLimiterAbstract;
  accountSlots: AccountSlots;
  /** The billing page's routes (billing/billing.routes.ts), mounted at /dashboard/api/billing behind the checks. */
  billing?: Router;
}

const fromDataUri = (uri: string) => Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');

const userView = (user: UserRow) => ({ id: user.id, email: user.email, name: user.name });

export function dashboardRoutes(deps: DashboardRouteDeps): Router {
  const { config, users, sessions, dashboard } = deps;
  const router = Router();
  const page = readFileSync(path.join(publicDir, 'index.html'), 'utf8');

  const sendPage = (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.type('html').send(page);
  };
  router.get(['/dashboard', '/dashboard/'], sendPage);
  router.get('/dashboard/static/:file', (req, res, next) => {
    if (!ASSET.test(req.params.file)) return next();
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.sendFile(req.params.file, { root: publicDir }, (error) => {
      if (error) next();
    });
  });
  router.get(SCRIPT, (req, res, next) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.sendFile(String(req.params[0]), { root: scriptsDir }, (error) => {
      if (error) next();
    });
  });

  // Sample images (synthetic, from @deepface/fixtures) for the playground's "Use sample images".
  // A Map, not an object literal: `constructor`, `toString` or `__proto__` must not name a sample.
  const samples = new Map<string, Buffer>([
    ['id-card.jpg', fromDataUri(SAMPLE_ID_CARD)],
    ['selfie.jpg', fromDataUri(SAMPLE_SELFIE)],
    ['selfie-2.jpg', fromDataUri(SAMPLE_SELFIE_2)],
    ['face.jpg', fromDataUri(SAMPLE_FACE)],
  ]);
  router.get('/dashboard/samples/:file', (req, res, next) => {
    const sample = samples.get(req.params.file);
    if (!sample) return next();
    res.type('jpeg').send(sample);
  });

  const api = Router();
  api.use(sameOrigin(config.publicOrigins), loadSession(sessions, config));
  // Before a session exists only small bodies are read; images (the playground) only once signed in.
  const credentialsBody = jsonBody(16 * 1024);

  const startSession = async (req: Request, res: Response, user: UserRow, status: number) => {
    // A fresh session id at every sign-in; the one the browser held before (if any) is deleted.
    const { token, csrfToken } = await sessions.create(user.id, sessionToken(req, config));
    setSessionCookie(res, config, token);
    res.status(status).json({ status: 'success', user: userView(user), csrf_token: csrfToken });
  };

  api.post('/signup', ...credentialsBody, async (req, res) => {
    const input = parseForm(signUpSchema, req.body);
    const user = await users.signUp(input, req.ip ?? 'unknown');
    await startSession(req, res, user, 201);
  });
  api.post('/login', ...credentialsBody, async (req, res) => {
    const input = parseForm(signInSchema, req.body);
    const user = await users.signIn(input, req.ip ?? 'unknown');
    await startSession(req, res, user, 200);
  });

  // Forgotten password: the same answer whether or not the address has an account (throttled like sign-in).
  api.post('/password-reset/request', ...credentialsBody, async (req, res) => {
    const { email: address } = parseForm(resetRequestSchema, req.body);
    await deps.passwordResets.request(address, req.ip ?? 'unknown');
    res.status(202).json({
      status: 'success',
      message: 'If an account uses this address, we sent it a link to choose a new password.',
    });
  });
  // The link's token and a new password: every session of the user is signed out; the page then asks to sign in.
  api.post('/password-reset/confirm', ...credentialsBody, async (req, res) => {
    const input = parseForm(resetSchema, req.body);
    await deps.passwordResets.reset(input.token, input.password);
    res.json({ status: 'success', message: 'Your password was changed. Sign in with it.' });
  });

  // Who is signed in (user null when nobody): the page asks this first.
  api.get('/session', (_req, res) => {
    const active = res.locals.dashboard;
    res.json(
      active
        ? { status: 'success', user: userView(active.user), csrf_token: active.session.csrf_token }
        : { status: 'success', user: null },
    );
  });

  // Everything below needs a session; state changes also the CSRF token.
  api.use(requireSession());
  api.use((req, res, next) => (req.method === 'GET' ? next() : requireCsrf()(req, res, next)));
  api.use(...jsonBody(config.bodyLimitBytes));
  const me = (res: Response) => res.locals.dashboard!.user;
  if (deps.billing) api.use('/billing', deps.billing);

  api.post('/logout', async (_req, res) => {
    await sessions.destroy(res.locals.dashboard!.token);
    clearSessionCookie(res, config);
    res.json({ status: 'success' });
  });
  // Every session of the user, this one included (a lost laptop, a shared computer).
  api.post('/logout-all', async (_req, res) => {
    await sessions.destroyAllForUser(me(res).id);
    clearSessionCookie(res, config);
    res.json({ status: 'success' });
  });
  // Needs the current password (throttled like a sign-in); every other session is signed out, this one stays.
  api.post('/password', async (req, res) => {
    const input = parseForm(passwordChangeSchema, req.body);
    await users.changePassword(
      me(res),
      { currentPassword: input.current_password, newPassword: input.new_password },
      req.ip ?? 'unknown',
    );
    const others = await sessions.destroyAllForUser(me(res).id, res.locals.dashboard!.token);
    res.json({ status: 'success', signed_out_sessions: others });
  });
  api.get('/account', async (_req, res) => {
    res.json({ status: 'success', account: await dashboard.account(me(res)) });
  });
  api.get('/keys', async (_req, res) => {
    res.json({ status: 'success', keys: await dashboard.listKeys(me(res)) });
  });
  api.post('/keys', async (req, res) => {
    const { name, mode } = parseBody(newKeySchema, req.body);
    const created = await dashboard.createKey(me(res), name, mode);
    res.status(201).json({
      status: 'success',
      key: created.key,
      secret: created.secret,
      note: 'Copy this key now: it is shown only once.',
    });
  });
  api.post('/keys/:id/revoke', async (req, res) => {
    res.json({ status: 'success', key: await dashboard.revokeKey(me(res), String(req.params.id)) });
  });
  api.get('/usage', async (req, res) => {
    const { days } = parseBody(usageQuery, { ...req.query });
    res.json({ status: 'success', ...(await dashboard.usage(me(res), days)) });
  });
  api.post('/keys/:id/rename', async (req, res) => {
    const { name } = parseBody(keyNameSchema, req.body);
    res.json({ status: 'success', key: await dashboard.renameKey(me(res), String(req.params.id), name) });
  });
  api.post('/keys/:id/roll', async (req, res) => {
    const rolled = await dashboard.rollKey(me(res), String(req.params.id));
    res.status(201).json({ status: 'success', ...rolled, note: 'Copy this key now: it is shown only once.' });
  });
  api.get('/usage/activity', async (req, res) => {
    const { key, ...q } = parseBody(activityQuery, { ...req.query });
    res.json({
      status: 'success',
      ...(await dashboard.activity(me(res), { ...q, ...(key ? { keyId: key } : {}) })),
    });
  });
  api.get('/usage/refused', async (req, res) => {
    const { key, ...q } = parseBody(refusedQuery, { ...req.query });
    res.json({
      status: 'success',
      ...(await dashboard.refusedCalls(me(res), { ...q, ...(key ? { keyId: key } : {}) })),
    });
  });
  // CSV of the selected period and filters; the file name is built only from fixed parts and numbers.
  api.get('/usage/export.csv', async (req, res) => {
    const { view, key, ...q } = parseBody(exportQuery, { ...req.query });
    const file = await dashboard.csv(me(res), view, { ...q, ...(key ? { keyId: key } : {}) });
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/csv; charset=utf-8').send(file.body);
  });

  // What the playground's pickers accept, from the one place the gateway defines it (config and the image service).
  api.get('/playground/limits', (_req, res) => {
    res.json({
      status: 'success',
      max_bytes: config.images.maxBytes,
      max_pixels: config.images.maxPixels,
      formats: SUPPORTED_FORMATS,
    });
  });

  // The playground runs the public API's own service for the user's account (billed the same way).
  const playground = async (res: Response) => {
    const accountId = me(res).account_id;
    try {
      await deps.rateLimiter.consume(`dashboard:${me(res).id}`, 1);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
    try {
      await deps.accountLimiter.consume(accountId, 1);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new AccountRateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
      }
      throw rejection;
    }
    if (config.rateLimit.accountConcurrency > 0) await holdAccountSlot(deps.accountSlots, accountId, res);
    return { face: deps.face, ctx: { accountId, requestId: res.locals.requestId } };
  };
  api.post('/playground/verify', async (req, res) => {
    const input = parseBody(pairSchema, req.body);
    const { face, ctx } = await playground(res);
    send(res, billed(await face.verify(ctx, input)));
  });
  api.post('/playground/lookalike', async (req, res) => {
    const input = parseBody(pairSchema, req.body);
    const { face, ctx } = await playground(res);
    send(res, billed(await face.lookalikeWithBoxes(ctx, input)));
  });
  api.post('/playground/analyze', async (req, res) => {
    const input = parseBody(analyzeSchema, req.body);
    const { face, ctx } = await playground(res);
    const actions = [...new Set(input.actions ?? PUBLIC_ACTIONS)];
    send(res, billed(await face.analyze(ctx, { image: input.image, actions })));
  });

  router.use('/dashboard/api', api);
  return router;
}
