/**
 * Errors as values a clerk can act on: a code from the IPC contract (which the CLI also maps to
 * its exit codes) and a plain sentence. Never a stack trace, never a secret.
 */
import type { ErrorCode } from '../../shared/contract';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A sentence for anything thrown, for places that must report every failure. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
