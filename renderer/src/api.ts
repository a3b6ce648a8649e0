/**
 * The renderer's only way to talk to the main process: typed calls over `window.bulkCancel`
 * (the preload bridge) that unwrap the `{ ok, value | error }` envelope, and event subscriptions.
 */
import type { Bridge, Channel, ErrorCode, EventName, EventPayload, Request, Response } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the preload script; absent when the page is opened outside the app. */
    bulkCancel?: Bridge;
  }
}

/** A failed call, with the code from the contract and a message a clerk can act on. */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

const NO_BRIDGE = 'Bulk Cancel cannot reach its background process. Please close the app and open it again.';

// Looked up on every call, not at load time, so a bridge installed after this module loads still works.
function bridge(): Bridge {
  const found = window.bulkCancel;
  if (!found) throw new ApiError('internal', NO_BRIDGE);
  return found;
}

/** Sends one request to main and returns its value, or throws an `ApiError`. */
export async function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  let envelope;
  try {
    envelope = await bridge().invoke(channel, request);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('internal', messageOf(error));
  }
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error.code, envelope.error.message);
}

/** Listens to an event main pushes; returns the function that stops listening. */
export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const found = window.bulkCancel;
  if (!found) return () => {};
  return found.on(event, listener);
}

/** The sentence to show a clerk for anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong. Please try again.';
}
