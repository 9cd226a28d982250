import { BadInputError, ExitCode, StepError } from '@steg/step-kit';
import { lineAt } from './migrations.ts';

type PgError = Error & { code?: string; position?: string; where?: string; detail?: string; hint?: string };

/** True for an error PostgreSQL raised about the SQL itself (not a lost connection or a shutdown). */
export function isSqlError(err: unknown): boolean {
  const code = (err as PgError)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57') && !code.startsWith('53');
}

/**
 * An error in a migration or seed file, naming the file and, when PostgreSQL gives a
 * position, the line and column in that file. `offset` is where the failing text starts
 * in the file (0 when the whole file was sent). SQL errors are bad input (exit 2).
 */
export function fileError(what: string, file: string, text: string, err: unknown, offset = 0): StepError {
  const e = err as PgError;
  if (!isSqlError(err)) {
    return new StepError(`${what} ${file} could not be applied: ${e?.message ?? String(err)}`, ExitCode.failed, { cause: err });
  }
  const pos = e.position ? Number(e.position) : undefined;
  const at = pos ? lineAt(text, offset + pos) : offset > 0 ? lineAt(text, offset + 1) : undefined;
  const where = at ? ` at line ${at.line}, column ${at.column}` : '';
  const extra = [e.detail, e.hint ? `hint: ${e.hint}` : undefined, e.where && !pos ? e.where.split('\n')[0] : undefined].filter(Boolean).join('; ');
  return new BadInputError(`${what} ${file} failed${where}: ${e.message} (SQLSTATE ${e.code})${extra ? `; ${extra}` : ''}`, { cause: err });
}
