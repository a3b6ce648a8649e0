/**
 * What a provider client is and what it is given: the shape electio.ts, sorted-pro.ts and sendcloud.ts
 * implement and client.ts builds. Kept apart from client.ts so the providers need nothing of the registry
 * that imports them.
 */
import type { ClaimedItem } from '../queue/store';
import type { Answer } from './outcome';

export type SendItem = Pick<
  ClaimedItem,
  'id' | 'reference' | 'action' | 'externalOrderId' | 'externalShipmentId' | 'step' | 'maybeSent'
>;

export interface ProviderClient {
  /** Sends the cancellation for these items and answers for every one of them. */
  cancel(items: readonly SendItem[]): Promise<Map<number, Answer>>;
}
