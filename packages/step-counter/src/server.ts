// Starts the HTTP server on a database and stops it gracefully: on shutdown it stops
// accepting connections, lets in-flight requests finish (up to a timeout), then closes the pool.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@steg/step-kit';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { createStore } from './store.ts';

export interface RunningServer {
  /** The base URL, e.g. http://127.0.0.1:8080 (0.0.0.0 is shown as 127.0.0.1). */
  url: string;
  server: Server;
  /** Stops gracefully; safe to call more than once. */
  close(): Promise<void>;
}

/** Starts step-counter with the given configuration. */
export async function startServer(config: Config, log: Logger, now?: () => Date): Promise<RunningServer> {
  const store = createStore({ databaseUrl: config.databaseUrl, poolMax: config.poolMax, onError: (err) => log.warn('idle database connection failed', { error: err.message }) });
  let draining = false;
  const handler = createApp({
    store,
    log,
    version: { name: 'step-counter', version: config.version, commit: config.commit },
    draining: () => draining,
    ...(now ? { now } : {}),
  });
  const server = createServer(handler);
  // Behind an OpenShift route/HAProxy, keep-alive must outlive the proxy's idle timeout.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      draining = true;
      const t0 = Date.now();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would hold close() open; busy ones finish their request first.
      server.closeIdleConnections();
      const idleTimer = setInterval(() => server.closeIdleConnections(), 100);
      const forced = setTimeout(() => {
        log.warn('shutdown timeout: closing connections with requests still running', { timeout_ms: config.shutdownTimeoutMs });
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await closed;
      clearInterval(idleTimer);
      clearTimeout(forced);
      await store.close();
      log.info('stopped', { 'event.duration_ms': Date.now() - t0 });
    })());
  return { url, server, close };
}
