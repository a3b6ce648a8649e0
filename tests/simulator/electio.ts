// Simulated Electio (PRO v1) consignments and its cancel endpoints, as the seed page and PROVIDERS.md
// describe them: single cancel (200, empty body), bulk `cancellist`, and a GET to check a key.
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from './server';

export type ElectioConsignmentState = 'created' | 'manifested' | 'cancelled';

export const ELECTIO_DEFAULT_API_KEY = 'sim-electio-key';
export const ELECTIO_API_VERSION = '1.1';
export const ELECTIO_CANCEL_SUCCESS = 'Consignment cancellation completed successfully';

// The client classifies failures by these texts, so they are part of the simulator's contract.
export const electioMessages = {
  notFound: (ref: string) => `Consignment ${ref} could not be found`,
  manifested: (ref: string) => `Consignment ${ref} has been manifested and can no longer be cancelled`,
  alreadyCancelled: (ref: string) => `Consignment ${ref} is already cancelled`,
  missingKey: 'Access denied due to missing subscription key',
  invalidKey: 'Access denied due to invalid subscription key',
  badVersion: 'The electio-api-version header is missing or not supported',
} as const;

// n = 0 gives the seed's own example, EC-000-05D-1NS; later numbers count up from there.
const REFERENCE_OFFSET = parseInt('05D1NS', 36);

/** The n-th deterministic reference, matching /^EC-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/. */
export function electioReference(n: number): string {
  const digits = (REFERENCE_OFFSET + n).toString(36).toUpperCase().padStart(6, '0');
  if (!Number.isInteger(n) || n < 0 || digits.length > 6) throw new RangeError(`No reference for ${n}`);
  return `EC-000-${digits.slice(0, 3)}-${digits.slice(3)}`;
}

type Failure = { status: number; code: string; message: string };

function json(status: number, value: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

function errorResponse({ status, code, message }: Failure): SimResponse {
  // `Code` is an internal string on purpose: clients must not mistake it for the HTTP status.
  return json(status, { Code: code, Message: message, CorrelationId: randomUUID() });
}

export class ElectioState {
  readonly apiKeys: Set<string>;
  private readonly consignments = new Map<string, ElectioConsignmentState>();
  private nextSeed = 0;

  constructor(apiKeys: string[] = [ELECTIO_DEFAULT_API_KEY]) {
    this.apiKeys = new Set(apiKeys);
  }

  /** Adds (or overwrites) consignments; references compare case-insensitively. */
  add(refs: string[], state: ElectioConsignmentState = 'created'): void {
    for (const ref of refs) this.consignments.set(ref.toUpperCase(), state);
  }

  state(ref: string): ElectioConsignmentState | undefined {
    return this.consignments.get(ref.toUpperCase());
  }

  /** Adds `count` fresh deterministic references (numbering continues across calls) and returns them. */
  seed(count: number, state: ElectioConsignmentState = 'created'): string[] {
    const refs = Array.from({ length: count }, (_, i) => electioReference(this.nextSeed + i));
    this.nextSeed += count;
    this.add(refs, state);
    return refs;
  }

  handle(request: SimRequest): SimResponse | undefined {
    const [root, ref, action, ...rest] = request.segments;
    if (root !== 'consignments' || ref === undefined || ref === '' || rest.length > 0) return undefined;
    let answer: () => SimResponse;
    if (request.method === 'PUT' && ref === 'cancellist' && action === undefined) answer = () => this.cancelList(request);
    else if (request.method === 'PUT' && action === 'cancel') answer = () => this.cancelOne(ref);
    else if (request.method === 'GET' && action === undefined) answer = () => this.get(ref);
    else return undefined;
    return this.checkHeaders(request) ?? answer();
  }

  private checkHeaders(request: SimRequest): SimResponse | undefined {
    const key = request.headers['ocp-apim-subscription-key'];
    if (key === undefined || key === '') {
      return errorResponse({
        status: 401,
        code: 'MissingSubscriptionKey',
        message: electioMessages.missingKey,
      });
    }
    if (!this.apiKeys.has(key)) {
      return errorResponse({
        status: 401,
        code: 'InvalidSubscriptionKey',
        message: electioMessages.invalidKey,
      });
    }
    if (request.headers['electio-api-version']?.trim() !== ELECTIO_API_VERSION) {
      return errorResponse({
        status: 400,
        code: 'UnsupportedApiVersion',
        message: electioMessages.badVersion,
      });
    }
    return undefined;
  }

  /** Applies one cancel; returns the failure, if any, without touching state on failure. */
  private cancel(ref: string): Failure | undefined {
    const state = this.state(ref);
    if (state === undefined) return { status: 404, code: 'ConsignmentNotFound', message: electioMessages.notFound(ref) };
    if (state === 'manifested') {
      return { status: 400, code: 'ConsignmentManifested', message: electioMessages.manifested(ref) };
    }
    if (state === 'cancelled') {
      return {
        status: 400,
        code: 'ConsignmentAlreadyCancelled',
        message: electioMessages.alreadyCancelled(ref),
      };
    }
    this.consignments.set(ref.toUpperCase(), 'cancelled');
    return undefined;
  }

  private cancelOne(ref: string): SimResponse {
    const failure = this.cancel(ref);
    return failure ? errorResponse(failure) : { status: 200 };
  }

  private cancelList(request: SimRequest): SimResponse {
    const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    let refs: unknown;
    try {
      refs = mediaType === 'application/json' ? JSON.parse(request.body) : undefined;
    } catch {
      refs = undefined;
    }
    if (!Array.isArray(refs) || !refs.every((ref): ref is string => typeof ref === 'string')) {
      return errorResponse({
        status: 400,
        code: 'InvalidRequestBody',
        message: 'The request body must be a JSON array of consignment references (Content-Type: application/json)',
      });
    }
    // Items are processed in order, so a reference listed twice fails the second time as already cancelled.
    return json(
      200,
      refs.map((ref) => {
        const failure = this.cancel(ref);
        return {
          IsSuccess: !failure,
          Message: failure?.message ?? ELECTIO_CANCEL_SUCCESS,
          Data: ref,
          ApiLinks: null,
        };
      }),
    );
  }

  private get(ref: string): SimResponse {
    const state = this.state(ref);
    if (state === undefined) {
      return errorResponse({
        status: 404,
        code: 'ConsignmentNotFound',
        message: electioMessages.notFound(ref),
      });
    }
    const consignmentState = { created: 'Unallocated', manifested: 'Manifested', cancelled: 'Cancelled' }[state];
    return json(200, { Reference: ref.toUpperCase(), ConsignmentState: consignmentState });
  }
}
