// Simulated Sorted PRO v2 shipments, as the seed page and PROVIDERS.md describe them: cancel
// (`PUT /shipments/{reference}/cancel`) only before manifest, delete (`DELETE /shipments/{reference}`) only once
// cancelled, and a read-back (`GET /shipments/{reference}`) that tells the state.
import { randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse } from './server';

/** `deleted` is kept (rather than forgetting the shipment) so tests can tell "deleted" from "never existed". */
export type SortedShipmentState = 'created' | 'manifested' | 'cancelled' | 'deleted';

/**
 * Per-reference answers that replace the normal rules for cancel and delete (GET is never overridden):
 * - `rule-conflict`: 429 without `Retry-After` (PRO v2's "Rule Conflict"), state unchanged, every time;
 * - `rate-limited`: 429 with `Retry-After: retryAfterSeconds`, state unchanged, for the next `times` requests
 *   (default 1), after which the normal rules apply again;
 * - `accepted`: the normal rules, but a success is answered 202 instead of 200 (the change is applied at once).
 */
export type SortedOverride =
  | { kind: 'rule-conflict'; message?: string }
  | { kind: 'rate-limited'; retryAfterSeconds: number; times?: number }
  | { kind: 'accepted' };

export interface SortedShipment {
  reference: string;
  customReference: string;
  state: SortedShipmentState;
  /** Starts at 1 and goes up with every change. */
  version: number;
}

export const SORTED_DEFAULT_API_KEY = 'sim-sorted-key';
export const SORTED_API_VERSION = '1.1';

// The client shows these texts to the clerk, so they are part of the simulator's contract.
export const sortedMessages = {
  cancelled: (ref: string) => `Shipment ${ref} has been cancelled`,
  deleted: (ref: string) => `Shipment ${ref} was deleted successfully`,
  notFound: (ref: string) => `Shipment ${ref} could not be found`,
  notCancellable: 'The shipment is not in a valid state to be cancelled',
  notDeletable: (ref: string) => `Shipment ${ref} must be cancelled before it can be deleted`,
  ruleConflict: 'The request conflicts with an existing rule for this shipment',
  rateLimited: 'Too many requests',
  missingKey: 'Missing API Key Header',
  invalidKey: 'Invalid API Key',
  missingVersion: 'The x-api-version header is missing',
  badVersion: 'The x-api-version header is not supported',
} as const;

// n = 0 gives the seed's own cancel example; later numbers count up from there.
const REFERENCE_OFFSET = 792815110958000332875334549504n;
const REFERENCE_DIGITS = 32;

/** The n-th deterministic reference, `sp_` and 32 digits (n = 0 is the seed's example). */
export function sortedReference(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`No reference for ${n}`);
  return `sp_${(REFERENCE_OFFSET + BigInt(n)).toString().padStart(REFERENCE_DIGITS, '0')}`;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/** Sorted's `ApiError`: `{reference?, correlation_id, code, message, details?}`. */
function apiError(
  status: number,
  code: string,
  message: string,
  reference?: string,
  headers: Record<string, string> = {},
): SimResponse {
  const body = { ...(reference === undefined ? {} : { reference }), correlation_id: randomUUID(), code, message };
  return json(status, body, headers);
}

export class SortedProState {
  readonly apiKeys: Set<string>;
  /** Where `_links` point; `startSimulator` sets it to the simulator's URL once it listens. */
  baseUrl = 'http://127.0.0.1';
  private readonly shipments = new Map<string, SortedShipment>();
  private readonly overrides = new Map<string, SortedOverride & { remaining?: number }>();
  private nextSeed = 0;

  constructor(apiKeys: string[] = [SORTED_DEFAULT_API_KEY]) {
    this.apiKeys = new Set(apiKeys);
  }

  /**
   * Adds (or overwrites) shipments; references compare exactly (they are lower-case `sp_…` on the real API).
   * `customReference` defaults to a fresh UUID, as in the seed's example.
   */
  add(refs: string[], state: SortedShipmentState = 'created', customReference?: (ref: string) => string): void {
    for (const ref of refs) {
      this.shipments.set(ref, { reference: ref, customReference: customReference?.(ref) ?? randomUUID(), state, version: 1 });
    }
  }

  /** Adds `count` fresh deterministic references (numbering continues across calls) and returns them. */
  seed(count: number, state: SortedShipmentState = 'created'): string[] {
    const refs = Array.from({ length: count }, (_, i) => sortedReference(this.nextSeed + i));
    this.nextSeed += count;
    this.add(refs, state);
    return refs;
  }

  state(ref: string): SortedShipmentState | undefined {
    return this.shipments.get(ref)?.state;
  }

  /** A copy of the stored shipment, or undefined if it was never added. */
  shipment(ref: string): SortedShipment | undefined {
    const shipment = this.shipments.get(ref);
    return shipment && { ...shipment };
  }

  /** Replaces the normal answers to cancel and delete for these references (see `SortedOverride`). */
  override(refs: string[], override: SortedOverride): void {
    for (const ref of refs) {
      this.overrides.set(ref, override.kind === 'rate-limited' ? { ...override, remaining: override.times ?? 1 } : override);
    }
  }

  /** Removes the overrides of these references, or all of them. */
  clearOverrides(refs?: string[]): void {
    if (refs === undefined) this.overrides.clear();
    else for (const ref of refs) this.overrides.delete(ref);
  }

  handle(request: SimRequest): SimResponse | undefined {
    const [root, ref, action, ...rest] = request.segments;
    if (root !== 'shipments' || ref === undefined || ref === '' || rest.length > 0) return undefined;
    let answer: () => SimResponse;
    if (request.method === 'PUT' && action === 'cancel') answer = () => this.cancel(ref);
    else if (request.method === 'DELETE' && action === undefined) answer = () => this.delete(ref);
    else if (request.method === 'GET' && action === undefined) answer = () => this.get(ref);
    else return undefined;
    return this.checkHeaders(request) ?? answer();
  }

  private checkHeaders(request: SimRequest): SimResponse | undefined {
    const key = request.headers['x-api-key'];
    if (key === undefined || key === '') return apiError(401, '401_missing_api_key', sortedMessages.missingKey);
    if (!this.apiKeys.has(key)) return apiError(401, '401_invalid_api_key', sortedMessages.invalidKey);
    const version = request.headers['x-api-version'];
    if (version === undefined || version.trim() === '') {
      return apiError(400, '400_version_header_missing', sortedMessages.missingVersion);
    }
    if (version.trim() !== SORTED_API_VERSION) {
      return apiError(400, '400_version_header_invalid', sortedMessages.badVersion);
    }
    return undefined;
  }

  /** The override's answer when it replaces the normal one, consuming a `rate-limited` use. */
  private overridden(ref: string): SimResponse | undefined {
    const override = this.overrides.get(ref);
    if (override?.kind === 'rule-conflict') {
      return apiError(429, '429_rule_conflict', override.message ?? sortedMessages.ruleConflict, ref);
    }
    if (override?.kind === 'rate-limited') {
      override.remaining = (override.remaining ?? 1) - 1;
      if (override.remaining <= 0) this.overrides.delete(ref);
      return apiError(429, '429_too_many_requests', sortedMessages.rateLimited, ref, {
        'retry-after': String(override.retryAfterSeconds),
      });
    }
    return undefined;
  }

  private successStatus(ref: string): number {
    return this.overrides.get(ref)?.kind === 'accepted' ? 202 : 200;
  }

  /** The live shipment, or undefined when unknown or deleted (both answer 404). */
  private live(ref: string): SortedShipment | undefined {
    const shipment = this.shipments.get(ref);
    return shipment?.state === 'deleted' ? undefined : shipment;
  }

  private notFound(ref: string): SimResponse {
    return apiError(404, '404_not_found', sortedMessages.notFound(ref));
  }

  private link(ref: string): { href: string; rel: string; reference: string; type: string } {
    return { href: `${this.baseUrl}/shipments/${encodeURIComponent(ref)}`, rel: 'shipment', reference: ref, type: 'shipment' };
  }

  private cancel(ref: string): SimResponse {
    const shipment = this.live(ref);
    if (shipment === undefined) return this.notFound(ref);
    const overridden = this.overridden(ref);
    if (overridden) return overridden;
    // Not documented: a repeated cancel answers 304 ("no change was made to the shipment", PROVIDERS.md).
    if (shipment.state === 'cancelled') return { status: 304 };
    if (shipment.state !== 'created') return apiError(409, '409_invalid_state', sortedMessages.notCancellable, ref);
    shipment.state = 'cancelled';
    shipment.version += 1;
    return json(this.successStatus(ref), {
      reference: ref,
      custom_reference: shipment.customReference,
      message: sortedMessages.cancelled(ref),
      version: shipment.version,
      _links: [this.link(ref)],
    });
  }

  private delete(ref: string): SimResponse {
    const shipment = this.live(ref);
    if (shipment === undefined) return this.notFound(ref);
    const overridden = this.overridden(ref);
    if (overridden) return overridden;
    if (shipment.state !== 'cancelled') return apiError(400, '400_invalid_state', sortedMessages.notDeletable(ref), ref);
    shipment.state = 'deleted';
    shipment.version += 1;
    return json(this.successStatus(ref), { reference: ref, message: sortedMessages.deleted(ref), _links: [] });
  }

  private get(ref: string): SimResponse {
    const shipment = this.live(ref);
    if (shipment === undefined) return this.notFound(ref);
    return json(200, {
      reference: ref,
      custom_reference: shipment.customReference,
      state: shipment.state,
      version: shipment.version,
      _links: [this.link(ref)],
    });
  }
}
