/**
 * What the requests for one item meant: final (succeeded, failed, or pending when the provider
 * accepted the cancellation but finishes it later), to be retried later, held because the account
 * needs the clerk (key refused, integration unknown), or waiting because the network is down.
 */
import type { ApiLink, Reason } from '../../../shared/domain';

/** A step of a two-step action that is done and must not be repeated (the cancel before a delete). */
export type Step = 'cancelled';

export type Outcome = (
  | {
      kind: 'final';
      state: 'succeeded' | 'failed' | 'pending';
      reason: Reason;
      apiLinks: ApiLink[] | null;
    }
  | {
      kind: 'retry';
      reason: Reason;
      retryAfterMs?: number | undefined;
      /** The request may have reached the provider (a timeout or reset, not a refused connection). */
      maybeSent?: boolean | undefined;
    }
  | { kind: 'account' }
  /** Nothing reached the provider (refused, DNS, no route): wait for the connection, spend no attempt. */
  | { kind: 'offline' }
) & { message: string; httpStatus: number | null; step?: Step | undefined };

/** One request's record: the audit trail the clerk sees per item. */
export interface RequestRecord {
  endpoint: string;
  startedAt: number;
  durationMs: number;
  httpStatus: number | null;
  message: string;
}

export interface Answer {
  outcome: Outcome;
  requests: RequestRecord[];
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

/**
 * The carrier no longer has what an earlier, unanswered request of ours may have removed: perhaps that
 * request did it, perhaps the reference never existed. Nobody can tell, so it is not a success; the
 * clerk is asked to check.
 */
export function gone(what: string, providerName: string, httpStatus: number | null): Outcome {
  return failed(
    'gone',
    `${providerName} no longer has ${what}. An earlier request of ours that got no answer may have removed it, or it never existed: check it in ${providerName}.`,
    httpStatus,
  );
}

export function pending(message: string, httpStatus: number | null): Outcome {
  return { kind: 'final', state: 'pending', reason: 'queued', message, httpStatus, apiLinks: null };
}

export function retry(reason: Reason, message: string, httpStatus: number | null, retryAfterMs?: number): Outcome {
  return { kind: 'retry', reason, message, httpStatus, retryAfterMs };
}

export function holdAccount(message: string, httpStatus: number | null): Outcome {
  return { kind: 'account', message, httpStatus };
}
