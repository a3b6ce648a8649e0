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

const FALLBACK = 'Something went wrong. Please try again.';

/**
 * The sentence to show a clerk for anything thrown: the message only, never a stack trace or a
 * program's inner words (a message that is only a trace, or too long to read, becomes a plain one).
 */
export function messageOf(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return clerkText(raw);
}

const TRACE_LINE = /^\s*at\s+\S|^\s*at\s*$|\(?(file|node|https?):\/\/\S+:\d+:\d+\)?/;

export function clerkText(raw: string): string {
  const lines = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !TRACE_LINE.test(line));
  // "Error invoking remote method 'x': Error: …" and "TypeError: …" prefixes say nothing to a clerk.
  const text = lines
    .join(' ')
    .replace(/^Error invoking remote method '[^']*':\s*/, '')
    .replace(/^(?:[A-Z][A-Za-z]*Error|Error):\s*/, '');
  if (!text) return FALLBACK;
  return text.length > 400 ? `${text.slice(0, 397)}…` : text;
}
