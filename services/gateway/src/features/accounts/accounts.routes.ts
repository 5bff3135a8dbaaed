import { Router } from 'express';
import { z } from 'zod';
import { InvalidInputError } from '../../platform/errors/app-error';
import { type AccountsService, accountView, decodeCursor, ledgerView } from './accounts.service';
import type { BillingService } from '../billing/billing.service';
import '../../platform/http/locals';

const usageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  type: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((t) => t.trim()) : undefined))
    .pipe(z.array(z.enum(['reserve', 'capture', 'release', 'credit', 'debit'])).optional()),
});

/** GET /v1/account and GET /v1/usage: the caller's own account only. */
export function accountRoutes(accounts: AccountsService, billing: BillingService): Router {
  const router = Router();

  router.get('/account', async (_req, res) => {
    const account = await accounts.getAccount(res.locals.principal!.accountId);
    res.json({
      status: 'success',
      result: 'account',
      message: 'Account retrieved',
      account: accountView(account, billing),
    });
  });

  router.get('/usage', async (req, res) => {
    const parsed = usageQuery.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
    }
    const { limit, cursor, type } = parsed.data;
    const beforeId = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && beforeId === undefined) throw new InvalidInputError('cursor is not valid.');
    const page = await accounts.usage(res.locals.principal!.accountId, { beforeId, limit, types: type });
    res.json({
      status: 'success',
      result: 'usage',
      message: 'Usage retrieved',
      data: page.entries.map(ledgerView),
      has_more: page.nextCursor !== null,
      next_cursor: page.nextCursor,
    });
  });

  return router;
}
