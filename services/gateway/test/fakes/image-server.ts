import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback HTTP server with named routes; it records every request it receives (the SSRF canary counts them). */
export class LoopbackServer {
  readonly hits: string[] = [];
  private server?: Server;
  port = 0;

  constructor(private readonly routes: Record<string, Handler> = {}) {}

  route(path: string, handler: Handler): this {
    this.routes[path] = handler;
    return this;
  }

  async start(): Promise<this> {
    const sockets = new Set<Socket>();
    this.server = createServer((req, res) => {
      this.hits.push(req.url ?? '');
      const path = (req.url ?? '/').split('?')[0]!;
      const handler = this.routes[path];
      if (handler) return handler(req, res);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('secret internal page: do not leak');
    });
    this.server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    this.closeSockets = () => sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  private closeSockets: () => void = () => undefined;

  /** URL through the given host name (e.g. localhost, which tests allow-list, or 127.0.0.1, which they do not). */
  url(path: string, host = 'localhost'): string {
    return `http://${host}:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.closeSockets();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
