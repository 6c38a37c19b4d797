/**
 * The exit codes of the command line, and the errors that carry them. Scripts
 * and vending pipelines branch on these numbers, so they never change
 * meaning: add a new code rather than reuse one.
 */
export const EXIT = {
  /** Done: the requested outcome was reached (or there was nothing to do). */
  DONE: 0,
  /** The workflow ran but the outcome was not reached (FAILED, REJECTED, SKIPPED), or "no" at the prompt. */
  NOT_REACHED: 1,
  /** Usage or validation error: the message names the flag; nothing was started. */
  USAGE: 2,
  /** AWS or permission error: the message names the missing permission when AWS does. */
  AWS: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorKind = 'usage' | 'aws' | 'not-reached';

/** An error the command line reports with its own exit code and words. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly kind: ErrorKind,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad flag or value: the message starts with the flag, e.g. "--bucket: ...". */
export class UsageError extends CliError {
  constructor(
    readonly flag: string | undefined,
    problem: string,
  ) {
    super(flag === undefined ? problem : `${flag}: ${problem}`, EXIT.USAGE, 'usage', flag ? { flag } : {});
  }
}

/** AWS refused or failed a call; `missingPermission` when AWS named it (or the call makes it obvious). */
export class AwsCallError extends CliError {
  constructor(
    message: string,
    readonly operation: string | undefined,
    readonly code: string | undefined,
    readonly missingPermission: string | undefined,
  ) {
    super(message, EXIT.AWS, 'aws', {
      ...(operation ? { operation } : {}),
      ...(code ? { code } : {}),
      ...(missingPermission ? { missingPermission } : {}),
    });
  }
}
