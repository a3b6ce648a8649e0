/**
 * What the app knows about each provider without talking to it: the pattern of its references,
 * whether it takes lists, its burst and its published limit (its default API root and pace are in
 * shared/provider-defaults.ts).
 */
import type { ProviderId } from '../../../shared/domain';

export interface ProviderFacts {
  /** Does this text look like one of the provider's references for its plain cancel? */
  readonly referencePattern: RegExp;
  /** How references are stored, so duplicates and answers match whatever case the clerk typed. */
  normalise(reference: string): string;
  readonly referenceExample: string;
  /** Can one request cancel many items (Electio's `cancellist`)? */
  readonly bulk: boolean;
  /** How many requests may go at once in a burst (the pace per minute is in PROVIDER_DEFAULTS). */
  readonly burst: number;
  /** Write requests a minute the provider publishes as its limit; null where it publishes none. */
  readonly publishedPerMinute: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const PROVIDERS: Record<ProviderId, ProviderFacts> = {
  electio: {
    referencePattern: /^EC-[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/i,
    normalise: (reference) => reference.toUpperCase(),
    referenceExample: 'EC-000-05D-1NS',
    bulk: true,
    burst: 4,
    publishedPerMinute: null,
  },
  'sorted-pro': {
    referencePattern: /^sp_\d{20,40}$/i,
    normalise: (reference) => reference.toLowerCase(),
    referenceExample: 'sp_00792815110958000332875334549504',
    bulk: false,
    burst: 10,
    publishedPerMinute: null,
  },
  sendcloud: {
    referencePattern: UUID,
    normalise: (reference) => reference.toLowerCase(),
    referenceExample: '39874b59-2a68-4a3d-8e00-aeb9e0540d00',
    bulk: false,
    // Published: 100 write requests a minute, bursts of up to 15 a second.
    burst: 15,
    publishedPerMinute: 100,
  },
};

/** A Sendcloud label to cancel: a parcel id (digits, API v2) or a shipment id with at least one digit (API v3). */
export const SENDCLOUD_LABEL_PATTERN = /^(?:\d{1,15}|(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9][A-Za-z0-9_-]{2,63})$/;
