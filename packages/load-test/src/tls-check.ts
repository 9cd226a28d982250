import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { connect, rootCertificates } from 'node:tls';
import { BadInputError } from '@steg/step-kit';

/** Reads a PEM CA bundle from a file, or from ca.crt in a directory (a mounted ConfigMap or Secret), relative to cwd; "" means none. */
export function readCaBundle(path: string, cwd: string): string | undefined {
  if (path === '') return undefined;
  const abs = resolve(cwd, path);
  const file = existsSync(abs) && statSync(abs).isDirectory() ? join(abs, 'ca.crt') : abs;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BadInputError(`param ca-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}), expected a PEM CA bundle or a directory holding ca.crt`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new BadInputError(`param ca-file: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

/**
 * Checks, with one TLS handshake, that an https target presents a certificate this process
 * trusts (the system roots plus the given bundle). autocannon never verifies certificates, so
 * without this a load test would happily measure whatever answers at that address.
 * Resolves with the reason when the certificate is not trusted; with undefined when it is, or
 * when no connection could be made at all (the run itself then reports the connection errors).
 */
export function untrustedReason(target: URL, ca: string | undefined, timeoutMs: number): Promise<string | undefined> {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: Number(target.port || 443),
      ...(isIP(host) ? {} : { servername: host }),
      ...(ca ? { ca: [...rootCertificates, ca] } : {}),
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.once('secureConnect', () => done(socket.authorized ? undefined : String(socket.authorizationError)));
    socket.once('timeout', () => done(undefined));
    socket.once('error', () => done(undefined));
  });
}
