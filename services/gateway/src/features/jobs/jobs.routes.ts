import { Router } from 'express';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../platform/errors/app-error';
import { normalizeItem, submitSchema } from './job-input';
import type { JobsService } from './jobs.service';
import { type IdempotencyService, validateIdempotencyKey } from '../idempotency/idempotency.service';
import { accepted, runIdempotent, send } from '../../http/respond';
import { parseBody } from '../../platform/validation';
import '../../platform/http/locals';

const jobId = z.string().regex(/^job_[0-9A-Za-z]{1,40}$/);

/** POST /v1/jobs (202 with the job) and GET /v1/jobs/{id} (the caller's own jobs only; others are 404). */
export function jobsRoutes(jobs: JobsService, idempotency: IdempotencyService, maxItems: number): Router {
  const router = Router();
  const schema = submitSchema(maxItems);

  router.post('/jobs', async (req, res) => {
    const principal = res.locals.principal!;
    if (principal.keyMode === 'test') {
      // Test mode answers single calls on the sample images only: a batch would be real work for free.
      throw new InvalidInputError('Batch jobs need a live key (df_live_…): test keys run single calls only.');
    }
    const ctx = { accountId: principal.accountId, requestId: res.locals.requestId, keyId: principal.keyId };
    const key = validateIdempotencyKey(req.get('idempotency-key'));
    const body: unknown = req.body;
    const input = parseBody(schema, body);
    const submit = async () => {
      const job = await jobs.submit(ctx, {
        items: input.items.map(normalizeItem),
        ...(input.webhook_url !== undefined ? { webhookUrl: input.webhook_url } : {}),
        ...(key ? { idempotencyKey: key } : {}),
      });
      return accepted(job, `/v1/jobs/${job.id}`);
    };
    send(res, await runIdempotent(idempotency, req, { ...ctx, key, body }, submit));
  });

  router.get('/jobs/:id', async (req, res) => {
    const id = jobId.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError('Job not found.');
    res.json(await jobs.get(res.locals.principal!.accountId, id.data));
  });
  return router;
}
