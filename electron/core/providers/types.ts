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

/**
 * What a harmless authenticated read said of the account's key: the carrier accepted it (it answered
 * the read, even "not found"), refused it (401/403, or an OAuth2 token refused), or nothing could be
 * told (no connection, a busy or unreadable answer).
 */
export type KeyCheck = { kind: 'accepted' } | { kind: 'refused'; message: string } | { kind: 'unknown'; message: string };

export interface ProviderClient {
  /** Sends the cancellation for these items and answers for every one of them. */
  cancel(items: readonly SendItem[]): Promise<Map<number, Answer>>;
  /** Reads a shipment that does not exist: it changes nothing, and tells a refused key from a good one. */
  checkKey(): Promise<KeyCheck>;
}
