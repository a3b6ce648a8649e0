/**
 * The one door into the service from outside main: checks the channel, validates the payload
 * against the contract's schema, runs the handler and wraps the answer in the envelope. Errors
 * become a code and a plain sentence; anything unexpected is reported without its details.
 */
import { channels, isChannel, type Envelope } from '../../shared/contract';
import { databaseError } from './db/open';
import { isAppError } from './errors';
import type { Handlers } from './service';

export async function dispatch(handlers: Handlers, channel: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'invalid_request', message: 'Unknown request.' } };
  }
  const parsed = channels[channel].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return {
      ok: false,
      error: { code: 'invalid_request', message: `The request was not valid${where}: ${issue?.message ?? 'wrong shape'}.` },
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    if (typeof (error as { code?: unknown }).code === 'string' && String((error as { code: string }).code).startsWith('SQLITE')) {
      const appError = databaseError('the data file', error);
      return { ok: false, error: { code: appError.code, message: appError.message } };
    }
    return {
      ok: false,
      error: { code: 'internal', message: 'Something went wrong inside Bulk Cancel. Nothing was lost; try again.' },
    };
  }
}
