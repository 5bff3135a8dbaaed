// Where a process really listens: the kernel's socket table and a connection attempt from a non-loopback address
// of this machine. Used to prove that internal ports (engine gRPC, metrics) are bound to loopback only.
import { readFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, SocketAddress } from 'node:net';
import { networkInterfaces } from 'node:os';

const LISTEN = '0A';

/** /proc/net/tcp6 writes an address as 32-bit words in host byte order (little-endian here). */
function decode(hex: string, family: 'ipv4' | 'ipv6'): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = Buffer.concat(words.map((w) => Buffer.from(w, 'hex').reverse()));
  if (family === 'ipv4') return [...bytes].join('.');
  const groups = bytes.toString('hex').match(/.{4}/g) ?? [];
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

/** Local addresses of every TCP socket listening on `port` (Linux), e.g. ['127.0.0.1'] or ['::']. */
export function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const [file, family] of [
    ['/proc/net/tcp', 'ipv4'],
    ['/proc/net/tcp6', 'ipv6'],
  ] as const) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== LISTEN) continue;
      const [address, portHex] = local.split(':');
      if (Number.parseInt(portHex ?? '', 16) === port) found.push(decode(address ?? '', family));
    }
  }
  return found.sort();
}

/** An address of this machine outside loopback (an IPv4 one first), or undefined on a machine with none. */
export function nonLoopbackAddress(): string | undefined {
  const all = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'));
  return (all.find((a) => a!.family === 'IPv4') ?? all[0])?.address;
}

/** Whether a TCP connection to host:port is accepted (refused, unreachable or silent for 3 s: false). */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * The facts about one port: the addresses it is bound to, and whether it answers on loopback and on the machine's
 * other address (undefined when the machine has none: the socket table alone then decides).
 */
export async function exposure(port: number) {
  const external = nonLoopbackAddress();
  return {
    bound: listeningAddresses(port),
    loopback: await canConnect('127.0.0.1', port),
    external: external === undefined ? undefined : await canConnect(external, port),
  };
}

/** What exposure() says of a port reachable on loopback only. */
export const LOOPBACK_ONLY = {
  bound: ['127.0.0.1'],
  loopback: true,
  external: nonLoopbackAddress() === undefined ? undefined : false,
};

/** A TCP port free on loopback right now (for a child process told to listen on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
