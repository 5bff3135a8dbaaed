import { Router, type Request, type Response } from 'express';
import type { HttpResult } from '../../platform/response';
import { billed, runIdempotent, send } from '../../http/respond';
import { type IdempotencyService, validateIdempotencyKey } from '../idempotency/idempotency.service';
import type { FaceService } from './face.service';
import type { SandboxService } from './sandbox.service';
import type { Billed, RequestContext } from '../billing/metering.service';
import { PUBLIC_ACTIONS, storableVerifyBody } from './face.presenter';
import { analyzeSchema, pairSchema, verifySchema } from './face.schemas';
import { parseBody } from '../../platform/validation';
import '../../platform/http/locals';

/**
 * Document data is never stored: an idempotent verify's replay (what idempotency stores) is its answer without the
 * personal fields and the holder's facts (storableVerifyBody). The client that asked gets them once, in the answer.
 */
function withoutStoredFields(result: HttpResult): HttpResult {
  const stored = storableVerifyBody(result.body);
  return stored === result.body ? result : { ...result, stored };
}

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
  type Work<I> = (ctx: RequestContext, input: I) => Promise<Billed>;
  const handle =
    <I>(parse: (body: unknown) => I, live: Work<I>, test: Work<I>, toHttp = billed) =>
    async (req: Request, res: Response) => {
      const principal = res.locals.principal!;
      const ctx: RequestContext = {
        accountId: principal.accountId,
        requestId: res.locals.requestId,
        keyId: principal.keyId,
        ...(principal.account ? { account: principal.account } : {}),
      };
      const key = validateIdempotencyKey(req.get('idempotency-key'));
      const body: unknown = req.body;
      const input = parse(body);
      const work = principal.keyMode === 'test' ? test : live;
      const run = async () => toHttp(await work(ctx, input));
      send(res, await runIdempotent(idempotency, req, { ...ctx, key, body }, run));
    };

  router.post(
    '/verify',
    handle(
      (body) => parseBody(verifySchema, body),
      (ctx, input) => face.verify(ctx, input),
      (ctx, input) => sandbox.verify(ctx, input),
      (result) => withoutStoredFields(billed(result)),
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
