import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { HttpResult } from '../http/result';
import { type IdempotencyService, validateIdempotencyKey } from '../services/idempotency.service';
import type { FaceService } from '../services/face.service';
import type { SandboxService } from '../services/sandbox.service';
import type { RequestContext } from '../services/metering.service';
import { LIVENESS_OPTIONS, PUBLIC_ACTIONS } from '../services/presenters';
import { runIdempotent, send } from './respond';
import { imageField, isoDay, parseBody } from './validation';
import '../middleware/locals';

export const pairSchema = z.strictObject({ img1: imageField('img1'), img2: imageField('img2') });

export const verifySchema = z.strictObject({
  img1: imageField('img1'),
  img2: imageField('img2'),
  document_fields: z.boolean({ error: () => 'document_fields must be true or false.' }).optional(),
  as_of: isoDay('as_of').optional(),
  liveness: z
    .enum(LIVENESS_OPTIONS, { error: () => `liveness must be one of ${LIVENESS_OPTIONS.join(', ')}.` })
    .optional(),
});

/**
 * The document's personal fields are never stored: an idempotent verify's replay (what idempotency stores) is its
 * answer without them. The client that asked gets them once, in the answer itself.
 */
function withoutStoredFields(result: HttpResult): HttpResult {
  const details = (
    result.body.engine_response as { details?: { document?: { fields?: unknown } } } | undefined
  )?.details;
  if (!details?.document || !('fields' in details.document)) return result;
  const { fields: _fields, ...document } = details.document;
  const engine = result.body.engine_response as Record<string, unknown>;
  return {
    ...result,
    stored: { ...result.body, engine_response: { ...engine, details: { ...details, document } } },
  };
}

export const analyzeSchema = z.strictObject({
  image: imageField('image'),
  actions: z
    .array(
      z.enum(PUBLIC_ACTIONS, {
        error: () => `actions may only contain ${PUBLIC_ACTIONS.join(', ')}.`,
      }),
      { error: () => 'actions must be an array, e.g. ["age", "gender", "race", "emotion"].' },
    )
    .min(1, { error: 'actions must not be empty.' })
    .optional(),
});

/**
 * POST /v1/verify, /v1/analyze, /v1/lookalike: parse, then hand over to the service (through idempotency): the
 * engine and billing for live keys, the sandbox (sample images, nothing charged) for test keys.
 */
export function faceRoutes(
  face: FaceService,
  sandbox: SandboxService,
  idempotency: IdempotencyService,
): Router {
  const router = Router();

  /** Body checks come first: an invalid request creates no idempotency record (fix it and retry with the key). */
  type Work<I> = (ctx: RequestContext, input: I) => Promise<HttpResult>;
  const handle =
    <I>(parse: (body: unknown) => I, live: Work<I>, test: Work<I>) =>
    async (req: Request, res: Response) => {
      const principal = res.locals.principal!;
      const ctx = { accountId: principal.accountId, requestId: res.locals.requestId, keyId: principal.keyId };
      const key = validateIdempotencyKey(req.get('idempotency-key'));
      const body: unknown = req.body;
      const input = parse(body);
      const work = principal.keyMode === 'test' ? test : live;
      send(res, await runIdempotent(idempotency, req, { ...ctx, key, body }, () => work(ctx, input)));
    };

  router.post(
    '/verify',
    handle(
      (body) => parseBody(verifySchema, body),
      async (ctx, input) => withoutStoredFields(await face.verify(ctx, input)),
      async (ctx, input) => withoutStoredFields(await sandbox.verify(ctx, input)),
    ),
  );
  router.post(
    '/lookalike',
    handle(
      (body) => parseBody(pairSchema, body),
      (ctx, input) => face.lookalike(ctx, input),
      (ctx, input) => sandbox.lookalike(ctx, input),
    ),
  );
  router.post(
    '/analyze',
    handle(
      (body) => {
        const input = parseBody(analyzeSchema, body);
        // Omitted actions mean all four (deepface's default); duplicates are dropped, order kept.
        return { image: input.image, actions: [...new Set(input.actions ?? PUBLIC_ACTIONS)] };
      },
      (ctx, input) => face.analyze(ctx, input),
      (ctx, input) => sandbox.analyze(ctx, input),
    ),
  );
  return router;
}
