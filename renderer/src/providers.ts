/**
 * The account form's words about each provider (its defaults are shared with main, in
 * shared/provider-defaults.ts).
 */
import type { ProviderId } from '../../shared/domain';

/** The plain sentence that tells a clerk what Sendcloud's two actions do. */
export const SENDCLOUD_ACTIONS_SENTENCE =
  "Cancel removes a shipment from your Sendcloud shop integration (it does not cancel a label). Use the action 'Cancel label' to cancel a label by parcel id.";

export const NAME_EXAMPLES: Record<ProviderId, string> = {
  electio: 'Warehouse Electio',
  'sorted-pro': 'Returns Sorted PRO',
  sendcloud: 'Shop Sendcloud',
};
