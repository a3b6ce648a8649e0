/** Small helpers for the importer's unit tests: reference generators and AppError assertions. */
import { expect } from 'vitest';
import { AppError } from '../../electron/core/errors';
import type { ErrorCode } from '../../shared/contract';

/** The n-th distinct valid Electio reference, e.g. `EC-000-000-00A`. */
export function ref(n: number): string {
  const s = n.toString(36).toUpperCase().padStart(9, '0');
  return `EC-${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6, 9)}`;
}

/** Runs `fn`, expects it to throw an AppError with this code, and returns it for further checks. */
export function expectAppError(fn: () => unknown, code: ErrorCode, message?: RegExp): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an AppError to be thrown').toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}
