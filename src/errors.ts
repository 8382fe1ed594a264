/**
 * Every error ringside reports on purpose, with a stable code and the exit code CLI.md promises.
 * The message says what went wrong; the hint says what to do next. Both are printed on one line:
 * `ringside: <message> (<hint>)`. Never put secrets (gossip keys) in either.
 */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  badInput: 2,
  unreachable: 3,
  noPrivilege: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Stable error codes, grouped by exit code. */
export const ERROR_EXIT: Record<string, ExitCode> = {
  RS_CHECK_FAILED: EXIT.checkFailed,
  RS_USAGE: EXIT.badInput,
  RS_BAD_FILE: EXIT.badInput,
  RS_BAD_RING: EXIT.badInput,
  RS_BAD_PLAN: EXIT.badInput,
  RS_UNREACHABLE: EXIT.unreachable,
  RS_UNDECODABLE: EXIT.unreachable,
  RS_SANDBOX_EXISTS: EXIT.badInput,
  RS_SANDBOX_FAILED: EXIT.unreachable,
  RS_NO_PRIVILEGE: EXIT.noPrivilege,
  RS_NO_CAPABILITY: EXIT.noPrivilege,
  // chaos: a command failed on a host (what was applied is reverted), a fault id is unknown
  RS_CHAOS_FAILED: EXIT.unreachable,
  RS_NO_FAULT: EXIT.badInput,
};

export type ErrorCode = keyof typeof ERROR_EXIT & string;

/**
 * Marks every RingsideError, so that `instanceof RingsideError` holds across copies of this module:
 * each library subpath (`ringside/ring`, `ringside/cluster`, ...) is bundled on its own.
 */
const RINGSIDE_ERROR = Symbol.for('ringside.RingsideError');

export class RingsideError extends Error {
  override readonly name = 'RingsideError';
  readonly [RINGSIDE_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses (chaos's StepError) keep the ordinary prototype check.
    if (this !== RingsideError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [RINGSIDE_ERROR]?: unknown })[RINGSIDE_ERROR] === true;
  }

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get exitCode(): ExitCode {
    return ERROR_EXIT[this.code] ?? EXIT.badInput;
  }

  /** The one line CLI.md specifies, without the `ringside: ` prefix. */
  get line(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

export function usageError(message: string, hint?: string): RingsideError {
  return new RingsideError('RS_USAGE', message, hint);
}

export function fileError(message: string, hint?: string, cause?: unknown): RingsideError {
  return new RingsideError('RS_BAD_FILE', message, hint, { cause });
}

export function ringError(message: string, hint?: string): RingsideError {
  return new RingsideError('RS_BAD_RING', message, hint);
}

export function planError(message: string, hint?: string): RingsideError {
  return new RingsideError('RS_BAD_PLAN', message, hint);
}
