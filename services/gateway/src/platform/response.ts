/** A response decided by a service: routes send it as is; idempotency stores and replays it. */
export interface HttpResult {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** What idempotency stores for replays when it must differ from `body` (personal data removed); else `body`. */
  stored?: Record<string, unknown>;
}
