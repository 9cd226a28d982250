import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A controllable target on 127.0.0.1 that counts what it is sent. */
export interface TestServer {
  url: string;
  /** Requests received, by path (without query). */
  requests: Map<string, number>;
  total(): number;
  connections: number;
  /** Headers of the last request. */
  lastHeaders?: IncomingHttpHeaders;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Routes: /ok; /slow?ms=N (answers after N ms); /fail (500); /missing (404); /hang (never
 * answers); /close (drops the connection); /block?ms=N (blocks this process's event loop,
 * which is also the generator's in an in-process run).
 */
export async function startTestServer(): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const state = { requests: new Map<string, number>(), connections: 0, lastHeaders: undefined as IncomingHttpHeaders | undefined };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    state.requests.set(url.pathname, (state.requests.get(url.pathname) ?? 0) + 1);
    state.lastHeaders = req.headers;
    req.resume();
    const ms = Number(url.searchParams.get('ms') ?? 0);
    switch (url.pathname) {
      case '/slow':
        setTimeout(() => res.end('slow'), ms);
        return;
      case '/fail':
        res.statusCode = 500;
        res.end('boom');
        return;
      case '/missing':
        res.statusCode = 404;
        res.end('no');
        return;
      case '/hang':
        return;
      case '/close':
        req.socket.destroy();
        return;
      case '/block': {
        const until = Date.now() + ms;
        while (Date.now() < until) {
          // Busy on purpose: a generator on this event loop cannot keep time now.
        }
        res.end('blocked');
        return;
      }
      default:
        res.end('ok');
    }
  });
  server.on('connection', (s: Socket) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    total: () => [...state.requests.values()].reduce((a, b) => a + b, 0),
    get connections() {
      return state.connections;
    },
    get lastHeaders() {
      return state.lastHeaders;
    },
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
