import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of one upstream (MariaDB, Redis, an engine) whose link a test can cut without
 * touching the shared server other suites use.
 *
 * - `up`: bytes flow both ways.
 * - `refuse`: as if the upstream process died: every open connection is reset and new ones are closed at once.
 * - `blackhole`: as if the network dropped every packet: open connections stop moving bytes and new ones are
 *   accepted but never answered.
 */
export type LinkState = 'up' | 'refuse' | 'blackhole';

interface Pair {
  client: Socket;
  upstream?: Socket;
}

export class TcpProxy {
  private server?: Server;
  private readonly pairs = new Set<Pair>();
  private state: LinkState = 'up';
  port = 0;
  /** Connections accepted since start (a client that reconnects shows here). */
  accepted = 0;

  constructor(
    private readonly upstreamPort: number,
    private readonly upstreamHost = '127.0.0.1',
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  /** Cuts the link: `refuse` (upstream down) or `blackhole` (packets dropped). */
  cut(how: Exclude<LinkState, 'up'>): void {
    this.state = how;
    for (const pair of this.pairs) {
      if (how === 'refuse') this.destroy(pair);
      else {
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.client.pause();
        pair.upstream?.pause();
      }
    }
  }

  /** Restores the link. Connections frozen by a blackhole are reset (their peers' state is unknowable). */
  restore(): void {
    this.state = 'up';
    for (const pair of this.pairs) this.destroy(pair);
  }

  async stop(): Promise<void> {
    for (const pair of this.pairs) this.destroy(pair);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    this.accepted++;
    client.on('error', () => undefined);
    if (this.state === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client };
    this.pairs.add(pair);
    client.once('close', () => this.destroy(pair));
    if (this.state === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = createConnection(this.upstreamPort, this.upstreamHost);
    pair.upstream = upstream;
    upstream.on('error', () => this.destroy(pair));
    upstream.once('close', () => this.destroy(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private destroy(pair: Pair): void {
    this.pairs.delete(pair);
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    if (pair.upstream && !pair.upstream.destroyed) pair.upstream.destroy();
  }
}
