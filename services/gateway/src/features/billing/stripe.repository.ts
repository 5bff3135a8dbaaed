import { isUniqueViolation } from '../idempotency/idempotency.repository';
import type { Executor } from '../../platform/db/rows';
import { toInt, toIntOrNull } from '../../platform/db/rows';

export interface CheckoutRow {
  id: string;
  account_id: string;
  user_id: string | null;
  amount_micros: number;
  currency: string;
  status: 'open' | 'paid';
  created_at: number;
  paid_at: number | null;
  event_id: string | null;
}

export type EventOutcome = 'received' | 'credited' | 'duplicate_payment' | 'ignored' | 'refused';

function mapCheckout(row: Record<string, unknown>): CheckoutRow {
  return {
    id: String(row.id),
    account_id: String(row.account_id),
    user_id: (row.user_id ?? null) as string | null,
    amount_micros: toInt(row.amount_micros),
    currency: String(row.currency),
    status: row.status as CheckoutRow['status'],
    created_at: toInt(row.created_at),
    paid_at: toIntOrNull(row.paid_at),
    event_id: (row.event_id ?? null) as string | null,
  };
}

/** Stripe Checkout Sessions we created and the webhook events we handled (migration 20250501000000). */
export class StripeRepository {
  async insertCheckout(q: Executor, row: CheckoutRow): Promise<void> {
    await q('stripe_checkouts').insert(row);
  }

  async findCheckout(q: Executor, id: string): Promise<CheckoutRow | undefined> {
    const row = (await q('stripe_checkouts').where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? mapCheckout(row) : undefined;
  }

  /** open → paid, once: false when another event already paid it. */
  async markPaid(q: Executor, id: string, eventId: string, now: number): Promise<boolean> {
    const affected = await q('stripe_checkouts')
      .where({ id, status: 'open' })
      .update({ status: 'paid', paid_at: now, event_id: eventId });
    return affected === 1;
  }

  /** Claims an event id; false when it was handled before (the primary key decides, also between racing calls). */
  async tryInsertEvent(
    q: Executor,
    row: { id: string; type: string; checkout_id: string | null; created_at: number },
  ): Promise<boolean> {
    try {
      await q('stripe_events').insert({ ...row, outcome: 'received' satisfies EventOutcome });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async setEventOutcome(q: Executor, id: string, outcome: EventOutcome): Promise<void> {
    await q('stripe_events').where({ id }).update({ outcome });
  }

  async eventOutcome(q: Executor, id: string): Promise<EventOutcome | undefined> {
    const row = (await q('stripe_events').where({ id }).first()) as Record<string, unknown> | undefined;
    return row ? (row.outcome as EventOutcome) : undefined;
  }
}
