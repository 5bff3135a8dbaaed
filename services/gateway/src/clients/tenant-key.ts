import { createHmac, randomBytes } from 'node:crypto';

/**
 * How the engine tells accounts apart for fair scheduling without learning who they are: a keyed hash
 * (HMAC-SHA256) of the account id, 128 bits in base64url. Never the account id or an API key. Without a configured
 * secret (ENGINE_TENANT_SECRET) each process draws its own, which still keeps one account's calls together per
 * gateway; gateways sharing engines should share one secret so that an account is one tenant everywhere.
 */
export function tenantKeys(secret: string | undefined): (accountId: string) => string {
  const key = secret ?? randomBytes(32);
  const cache = new Map<string, string>();
  return (accountId) => {
    let tenant = cache.get(accountId);
    if (tenant === undefined) {
      tenant = createHmac('sha256', key).update(accountId).digest('base64url').slice(0, 22);
      // Bounded: a memo of the busiest accounts, not a store.
      if (cache.size >= 10_000) cache.clear();
      cache.set(accountId, tenant);
    }
    return tenant;
  };
}
