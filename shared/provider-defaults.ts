/**
 * Each provider's defaults that both sides need: main uses them when an account leaves its base URL
 * or pace blank, and the account form shows them as that blank's meaning. One list, so they cannot drift.
 */
import type { ProviderId } from './domain';

/** The largest request rate an account may set, in requests per minute (the smallest is 1). */
export const MAX_RATE_PER_MINUTE = 100_000;
/** The largest Sendcloud integration id an account may hold (the smallest is 1). */
export const MAX_INTEGRATION_ID = 2 ** 31;

export interface ProviderDefaults {
  /** The API root when an account leaves its base URL blank. */
  readonly baseUrl: string;
  /** Requests per minute an account sends when its own setting is blank, inside the provider's published limits. */
  readonly ratePerMinute: number;
}

export const PROVIDER_DEFAULTS: Record<ProviderId, ProviderDefaults> = {
  // Electio: not published; moderate, and each cancellist request carries up to 100 consignments.
  electio: { baseUrl: 'https://api.electioapp.com', ratePerMinute: 120 },
  // Sorted PRO: not published; moderate.
  'sorted-pro': { baseUrl: 'https://api.sorted.com/pro', ratePerMinute: 600 },
  // Sendcloud: published, 100 write requests a minute.
  sendcloud: { baseUrl: 'https://panel.sendcloud.sc', ratePerMinute: 100 },
};

/** Where a Sendcloud account on OAuth2 gets its tokens when its token URL is left blank. */
export const SENDCLOUD_TOKEN_URL = 'https://account.sendcloud.com/oauth2/token/';
