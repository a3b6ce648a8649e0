/**
 * What the account form needs to know about each provider before any account exists: the API root
 * used when the base URL is left blank, the pace used when "requests per minute" is left blank, and
 * which kind of secret it takes. Keep in step with main's provider catalogue.
 */
import type { ProviderId } from '../../shared/domain';

export const DEFAULT_BASE_URLS: Record<ProviderId, string> = {
  electio: 'https://api.electioapp.com',
  'sorted-pro': 'https://api.sorted.com/pro',
  sendcloud: 'https://panel.sendcloud.sc',
};

/** Requests per minute an account sends when its own setting is blank. Sendcloud's is its published limit. */
export const DEFAULT_RATES: Record<ProviderId, number> = {
  electio: 120,
  'sorted-pro': 600,
  sendcloud: 100,
};

export const SENDCLOUD_TOKEN_URL = 'https://account.sendcloud.com/oauth2/token/';

/** The plain sentence that tells a clerk what Sendcloud's two actions do. */
export const SENDCLOUD_ACTIONS_SENTENCE =
  "Cancel removes a shipment from your Sendcloud shop integration (it does not cancel a label). Use the action 'Cancel label' to cancel a label by parcel id.";

export const NAME_EXAMPLES: Record<ProviderId, string> = {
  electio: 'Warehouse Electio',
  'sorted-pro': 'Returns Sorted PRO',
  sendcloud: 'Shop Sendcloud',
};
