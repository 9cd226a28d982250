import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureServer {
  url: string;
  /** Changes the version /version reports (a new deployment going live). */
  setVersion(v: string): void;
  setReady(ready: boolean): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A tiny app on loopback: a page with a heading, /version (JSON and X-App-Version header) and /readyz. */
export async function startFixtureServer(o: { version?: string; ready?: boolean } = {}): Promise<FixtureServer> {
  let version = o.version ?? '1.0.0';
  let ready = o.ready ?? true;
  const server = createServer((req, res) => {
    if (req.url === '/version') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-app-version': version });
      res.end(JSON.stringify({ name: 'fixture', version, build: { version } }));
    } else if (req.url === '/readyz') {
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(ready ? 'ok' : 'starting');
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Fixture</title><h1>Fixture app</h1>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = (): Promise<void> => new Promise((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return {
    url,
    setVersion: (v) => (version = v),
    setReady: (r) => (ready = r),
    close,
    [Symbol.asyncDispose]: close,
  };
}
