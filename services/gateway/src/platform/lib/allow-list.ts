import { isIP } from 'node:net';

/**
 * Hosts exempt from the SSRF address checks (IMAGE_FETCH_ALLOW_HOSTS, WEBHOOK_ALLOW_HOSTS), each with its ports:
 * `host` allows ports 80 and 443 only, `host:port` that port, `host:*` every port (said explicitly). IPv6 literals
 * go in brackets (`[fd00::5]:8080`). An exemption for a whole host would let callers probe every port of it.
 */
export interface AllowEntry {
  host: string;
  ports: 'any' | readonly number[];
}

const NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
const ENTRY = /^(\[[^\]]+\]|[^:[\]]+)(?::(\*|\d{1,5}))?$/;
const WEB_PORTS: readonly number[] = [80, 443];

/** Brackets off IPv6 literals, lower case: how hosts are compared. */
const bare = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/** The entry, or undefined when it is not `host`, `host:port` (1-65535) or `host:*`. */
export function parseAllowEntry(raw: string): AllowEntry | undefined {
  const match = ENTRY.exec(raw.trim().toLowerCase());
  if (!match) return undefined;
  const [, hostPart = '', portPart] = match;
  const host = bare(hostPart);
  const bracketed = hostPart.startsWith('[');
  if (bracketed ? isIP(host) !== 6 : !NAME.test(host)) return undefined;
  if (portPart === undefined) return { host, ports: WEB_PORTS };
  if (portPart === '*') return { host, ports: 'any' };
  const port = Number(portPart);
  return port >= 1 && port <= 65535 ? { host, ports: [port] } : undefined;
}

/** The port a URL connects to: its own, or its scheme's default. */
export function portOf(url: { port: string; protocol: string }): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

export class AllowList {
  private readonly entries: AllowEntry[];

  /** `entries` were validated with the configuration; anything unparsable is ignored here. */
  constructor(entries: readonly string[]) {
    this.entries = entries.map(parseAllowEntry).filter((e): e is AllowEntry => e !== undefined);
  }

  allows(hostname: string, port: number): boolean {
    const host = bare(hostname);
    return this.entries.some((e) => e.host === host && (e.ports === 'any' || e.ports.includes(port)));
  }
}
