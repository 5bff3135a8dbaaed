import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import { type AllowList, portOf } from '../lib/allow-list';
import { isPublicAddress } from '../lib/ip';

/** A dns.lookup-shaped resolver (tests inject one). */
export type LookupFn = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/**
 * An undici connector that only reaches public addresses (OWASP SSRF cheat sheet), shared by the image fetcher
 * and the webhook sender:
 * - the DNS lookup that feeds the socket refuses any private answer, so DNS rebinding between a check and the
 *   connect is impossible;
 * - the connected socket's remote address is checked again (IP literals skip DNS).
 * Host and port pairs on the allow-list skip both checks (trusted internal hosts, tests); another port of an
 * allowed host is checked like any host.
 */
export function safeConnector(options: {
  timeoutMs: number;
  allowList: AllowList;
  lookup?: LookupFn;
}): buildConnector.connector {
  const { allowList } = options;
  const lookup = options.lookup ?? dnsLookup;
  const checkedLookup: LookupFn = (hostname, lookupOptions, callback) => {
    lookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }];
      if (list.length === 0 || list.some((a) => !isPublicAddress(a.address))) {
        return callback(blockedError(), []);
      }
      if (lookupOptions.all) return callback(null, list);
      const first = list[0]!;
      return callback(null, first.address, first.family);
    });
  };
  const checked = buildConnector({ timeout: options.timeoutMs, lookup: checkedLookup });
  const exempt = buildConnector({ timeout: options.timeoutMs, lookup });
  return (opts, callback) => {
    if (allowList.allows(opts.hostname, portOf({ port: String(opts.port ?? ''), protocol: opts.protocol }))) {
      return exempt(opts, callback);
    }
    checked(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const remote = socket.remoteAddress;
      if (!remote || !isPublicAddress(remote)) {
        socket.destroy();
        return callback(blockedError(), null);
      }
      return callback(null, socket);
    });
  };
}

/** Scheme, userinfo and literal-address checks before any socket is opened; undefined when refused. */
export function checkPublicUrl(raw: string, allowList: AllowList): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  // WHATWG URL parsing already normalised decimal/octal/hex IPv4 spellings (http://2130706433 → 127.0.0.1).
  const host = url.hostname.toLowerCase();
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (!allowList.allows(host, portOf(url)) && isIP(literal) && !isPublicAddress(literal)) return undefined;
  url.hash = '';
  return url;
}

function blockedError(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('address not allowed');
  error.code = 'E_IMAGE_ADDRESS_BLOCKED';
  return error;
}

/** Whether a request failed because the connector refused the address. */
export function isBlocked(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === 'E_IMAGE_ADDRESS_BLOCKED') return true;
  }
  return false;
}
