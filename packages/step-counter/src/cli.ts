// step-counter's server entry (bundled to dist/step-counter.mjs; the image runs it as
// /app/step.mjs). Configuration comes from the environment; SIGTERM stops it gracefully.
import { ConfigError, ENV_DOC, readConfig, urlPassword } from './config.ts';

if (process.argv.includes('--help')) {
  process.stdout.write(`step-counter (Stegräknare): the reference web app steg's steps run against.\n\nEnvironment:\n${ENV_DOC.map(([k, v]) => `  ${k.padEnd(20)} ${v}`).join('\n')}\n`);
  process.exit(0);
}

let config;
try {
  config = readConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(2);
}
// Loaded after --help and the config check, so those answer without loading pg and the server.
const { createLogger, Redactor } = await import('@steg/step-kit');
const { startServer } = await import('./server.ts');
const redactor = new Redactor();
redactor.add(urlPassword(config.databaseUrl));
const log = createLogger({ format: config.logFormat, sink: process.stdout, redactor, service: 'step-counter', debug: process.env.LOG_LEVEL === 'debug' });

const app = await startServer(config, log).catch((err: Error) => {
  log.error('cannot start', { error: err.message });
  process.exit(1);
});
log.info(`listening on ${app.url}`, { 'url.full': app.url, 'service.version': config.version, commit: config.commit });

const stop = (signal: string): void => {
  log.info(`${signal}: finishing in-flight requests, then stopping`);
  app.close().then(
    () => process.exit(0),
    (err: Error) => {
      log.error('shutdown failed', { error: err.message });
      process.exit(1);
    },
  );
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));
