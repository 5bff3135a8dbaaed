/** The dashboard's JSON API (/dashboard/api): same-origin fetches with the session cookie and the CSRF token. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
    /** What to do, for people (the body's `hint`): names an image by its role ("ID document", "Selfie"). */
    readonly hint?: string,
  ) {
    super(message);
  }
}

let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export async function api<T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers = { ...init.headers, 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken };
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(`/dashboard/api${path}`, init);
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The server cannot be reached. Check your connection and retry.',
      null,
    );
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const message = typeof data.message === 'string' ? data.message : `Request failed (${res.status}).`;
    const code =
      typeof data.result === 'string' ? data.result : typeof data.error === 'string' ? data.error : 'error';
    const hint = typeof data.hint === 'string' ? data.hint : undefined;
    throw new ApiError(res.status, code, message, data, hint);
  }
  return data as T;
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Account {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  balance: number;
  reserved: number;
  prices: { verify: number; analyze: number; lookalike: number };
}

export interface ApiKey {
  id: string;
  name: string | null;
  mode: 'live' | 'test';
  prefix: string;
  status: 'active' | 'revoked';
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface UsageDay {
  date: string;
  requests: number;
  charged: number;
  by_endpoint: Record<'verify' | 'analyze' | 'lookalike', number>;
}

export interface LedgerEntry {
  id: string;
  type: string;
  endpoint: string | null;
  amount: number;
  balance_change: number;
  request_id: string | null;
  reason: string | null;
  created_at: string;
}

export interface Usage {
  days: UsageDay[];
  totals: { requests: number; charged: number };
  recent: LedgerEntry[];
}
