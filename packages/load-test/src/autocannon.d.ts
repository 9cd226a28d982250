// The part of autocannon 9's API this package uses (it ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    [key: string]: unknown;
  }

  interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    pipelining?: number;
    sampleInt?: number;
    requests?: AutocannonRequest[];
    setupClient?: (client: EventEmitter) => void;
    [key: string]: unknown;
  }

  interface Instance extends EventEmitter, PromiseLike<Record<string, unknown>> {
    stop(): void;
  }

  function autocannon(opts: AutocannonOptions, cb?: (err: Error | null, result: Record<string, unknown>) => void): Instance;
  export default autocannon;
}
