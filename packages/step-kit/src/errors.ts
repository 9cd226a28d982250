/** Exit codes every step shares; steps document any extra code they use. */
export const ExitCode = {
  ok: 0,
  /** The thing the step checks failed: tests failed, a threshold was broken. */
  checkFailed: 1,
  /** Bad input or configuration; nothing was changed. */
  badInput: 2,
  /** The step could not reach a verdict (e.g. a saturated load generator). */
  inconclusive: 3,
  /** The work itself failed: a service stayed unreachable, the deadline passed, a bug. */
  failed: 4,
} as const;

/** An error that carries the exit code the step ends with. */
export class StepError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.failed, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StepError';
    this.exitCode = exitCode;
  }
}

/** Bad input or configuration: exit code 2. Throw it before any side effect. */
export class BadInputError extends StepError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.badInput, options);
    this.name = 'BadInputError';
  }
}

/** The checked thing failed (tests, thresholds): exit code 1. */
export class CheckFailedError extends StepError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.checkFailed, options);
    this.name = 'CheckFailedError';
  }
}

/** The step's overall deadline passed: exit code 4. */
export class DeadlineError extends StepError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, ExitCode.failed, options);
    this.name = 'DeadlineError';
  }
}

/** Maps anything thrown to the exit code the process ends with. */
export function exitCodeOf(err: unknown): number {
  return err instanceof StepError ? err.exitCode : ExitCode.failed;
}
