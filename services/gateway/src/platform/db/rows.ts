import type { Knex } from 'knex';
import type { Endpoint } from '../config';

/** A knex instance or an open transaction: repositories run on whichever the service hands them. */
export type Executor = Knex | Knex.Transaction;

export type AccountStatus = 'active' | 'suspended';

export interface AccountRow {
  id: string;
  name: string;
  email: string | null;
  status: AccountStatus;
  balance_micros: number;
  reserved_micros: number;
  price_verify_micros: number | null;
  price_analyze_micros: number | null;
  price_lookalike_micros: number | null;
  created_at: number;
  updated_at: number;
}

export type LedgerType = 'reserve' | 'capture' | 'release' | 'credit' | 'debit';

export interface LedgerEntryRow {
  id: number;
  account_id: string;
  type: LedgerType;
  amount_micros: number;
  balance_delta_micros: number;
  reserved_delta_micros: number;
  endpoint: Endpoint | null;
  reservation_id: string | null;
  request_id: string | null;
  reason: string | null;
  /** The API key that made the call (metered entries); null for credits, debits and the playground. */
  key_id: string | null;
  created_at: number;
}

export type ReservationStatus = 'held' | 'captured' | 'released';

export interface ReservationRow {
  id: string;
  account_id: string;
  endpoint: Endpoint;
  amount_micros: number;
  status: ReservationStatus;
  request_id: string;
  /** The API key that made the call; null for the dashboard's playground. */
  key_id: string | null;
  created_at: number;
  settled_at: number | null;
}

export interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string | null;
  mode: 'live' | 'test';
  prefix: string;
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  /** The route of the last use ("POST /v1/verify"); null before the first use (or before it was recorded). */
  last_used_endpoint: string | null;
  revoked_at: number | null;
}

export interface IdempotencyRow {
  id: number;
  account_id: string;
  idem_key: string;
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: string | null;
  response_headers: string | null;
  created_at: number;
  locked_until: number;
  expires_at: number;
}

/** Integer columns may arrive as strings from some drivers/aggregates: normalise and refuse anything unsafe. */
export function toInt(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : (value as number);
  if (!Number.isSafeInteger(n)) throw new TypeError(`expected a safe integer, got ${String(value)}`);
  return n;
}

export function toIntOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toInt(value);
}
