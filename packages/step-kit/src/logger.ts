import type { Redactor } from './redact.ts';

/** Where text goes: process.stdout, or a collector in tests. */
export interface TextSink {
  write(text: string): unknown;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Logs human lines or ECS JSON lines, with every secret masked. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds fields to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  format: 'text' | 'json';
  sink: TextSink;
  redactor: Redactor;
  service: string;
  debug?: boolean;
  now?: () => Date;
}

const ECS_VERSION = '8.11.0';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Creates the step's logger. */
export function createLogger(opts: LoggerOptions, base: LogFields = {}): Logger {
  const now = opts.now ?? (() => new Date());
  const min = opts.debug ? 0 : 1;
  const emit = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (RANK[level] < min) return;
    const all = { ...base, ...fields };
    let line: string;
    if (opts.format === 'json') {
      line = JSON.stringify({
        '@timestamp': now().toISOString(),
        'log.level': level,
        message,
        'ecs.version': ECS_VERSION,
        'service.name': opts.service,
        'event.dataset': `steg.${opts.service}`,
        ...all,
      }, jsonSafe);
    } else {
      const prefix = level === 'info' ? '' : level === 'warn' ? 'warning: ' : `${level}: `;
      const extra = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonSafe)}`)
        .join(' ');
      line = `${prefix}${message}${extra ? ` ${extra}` : ''}`;
    }
    opts.sink.write(`${opts.redactor.redact(line)}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (f) => createLogger(opts, { ...base, ...f }),
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { message: value.message, name: value.name };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Logs a progress line at most once per interval; call `tick` as often as you like. */
export function createProgress(log: Logger, everyMs = 5000, now: () => number = Date.now): { tick(message: () => string): void } {
  let last = now();
  return {
    tick(message) {
      const t = now();
      if (t - last >= everyMs) {
        last = t;
        log.info(message());
      }
    },
  };
}
