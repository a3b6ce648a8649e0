/**
 * What one request meant for one item: final (succeeded or failed, with a normalised reason and
 * the provider's own message), to be retried later, or held because the account's key was refused.
 */
import type { ApiLink, Reason } from '../../../shared/domain';

export type Outcome =
  | {
      kind: 'final';
      state: 'succeeded' | 'failed';
      reason: Reason;
      message: string;
      httpStatus: number | null;
      apiLinks: ApiLink[] | null;
    }
  | { kind: 'retry'; reason: Reason; message: string; httpStatus: number | null; retryAfterMs?: number | undefined }
  | { kind: 'auth'; message: string; httpStatus: number };

/** One request's record for one item: the audit trail the clerk sees per item. */
export interface Answer {
  outcome: Outcome;
  endpoint: string;
  startedAt: number;
  durationMs: number;
}

export function succeeded(
  reason: Reason,
  message: string,
  httpStatus: number | null,
  apiLinks: ApiLink[] | null = null,
): Outcome {
  return { kind: 'final', state: 'succeeded', reason, message, httpStatus, apiLinks };
}

export function failed(reason: Reason, message: string, httpStatus: number | null): Outcome {
  return { kind: 'final', state: 'failed', reason, message, httpStatus, apiLinks: null };
}
