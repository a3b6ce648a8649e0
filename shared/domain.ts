/**
 * Domain words shared by main and renderer: providers, item states, reasons and the
 * per-item result record in the provider's bulk-response shape. Plain values and types, no schema
 * library: every command line start-up loads this, and the contract's schemas (shared/contract.ts)
 * are built from these lists only where a request is validated.
 */

/** Largest list Bulk Cancel imports at once, from a file, stdin or a paste: the app and the CLI share it. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export const PROVIDER_IDS = ['electio', 'sorted-pro', 'sendcloud'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  electio: 'Electio (Sorted PRO v1)',
  'sorted-pro': 'Sorted PRO',
  sendcloud: 'Sendcloud',
};

/**
 * What a batch asks of each shipment. `cancel` is the provider's cancel (for Sendcloud, the seed's
 * integration delete, which removes a shop shipment and does not cancel a label);
 * `cancel-and-delete` also deletes a cancelled Sorted PRO shipment; `cancel-label` cancels a
 * Sendcloud label by parcel or shipment id.
 */
export const ACTIONS = ['cancel', 'cancel-and-delete', 'cancel-label'] as const;
export type Action = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<Action, string> = {
  cancel: 'Cancel',
  'cancel-and-delete': 'Cancel, then delete (Sorted PRO)',
  'cancel-label': 'Cancel label (Sendcloud)',
};

/** The action an item of this provider gets in a batch with this action. */
export function itemAction(batchAction: Action, provider: ProviderId): Action {
  if (batchAction === 'cancel-and-delete' && provider === 'sorted-pro') return batchAction;
  if (batchAction === 'cancel-label' && provider === 'sendcloud') return batchAction;
  return 'cancel';
}

/** What each action does at each provider, in the clerk's words. */
export function actionDescription(action: Action, provider: ProviderId): string {
  if (provider === 'sendcloud') {
    return action === 'cancel-label'
      ? 'cancels the label (Sendcloud may finish it later: "cancellation queued")'
      : 'removes the shipment from the Sendcloud shop integration; it does not cancel a label';
  }
  return action === 'cancel-and-delete' && provider === 'sorted-pro'
    ? 'cancels the shipment, then deletes it'
    : 'cancels the shipment';
}

/**
 * `pending`: the provider accepted the cancellation but finishes it later (neither success nor
 * failure). `stopped`: the clerk stopped the item before it was sent. The word *cancelled* is kept
 * for what the provider did to a shipment, never for our own states.
 */
export const ITEM_STATES = ['queued', 'in_flight', 'succeeded', 'failed', 'pending', 'stopped'] as const;
export type ItemState = (typeof ITEM_STATES)[number];
export const FINAL_STATES: readonly ItemState[] = ['succeeded', 'failed', 'pending', 'stopped'];

/** Normalised reasons a clerk can filter on, next to the provider's own message. */
export const REASONS = [
  'cancelled',
  'already_cancelled',
  'removed',
  'deleted',
  'queued',
  'not_found',
  'gone',
  'too_late',
  'unauthorized',
  'invalid_reference',
  'rate_limited',
  'provider_error',
  'network',
] as const;
export type Reason = (typeof REASONS)[number];

export const REASON_LABELS: Record<Reason, string> = {
  cancelled: 'Cancelled',
  already_cancelled: 'Already cancelled',
  removed: 'Removed from shop – label still active',
  deleted: 'Deleted',
  queued: 'Cancellation queued',
  not_found: 'Not found',
  gone: 'Gone: check it',
  too_late: 'Too late (manifested)',
  unauthorized: 'Key rejected',
  invalid_reference: 'Invalid reference',
  rate_limited: 'Rate limited',
  provider_error: 'Provider error',
  network: 'Network problem',
};

/**
 * Reasons a failed item may still succeed when sent again: the connection, the provider or its pace
 * was at fault, or its answer confirmed nothing (`provider_error`), or the key was refused and may be
 * fixed. The others are final: sending again gets the same answer (too late, not found, invalid), and
 * `gone` asks the clerk to check the shipment first.
 */
export const MAY_STILL_WORK: readonly Reason[] = ['network', 'provider_error', 'rate_limited', 'unauthorized'];

/** Whether a failed item with this reason may succeed when sent again (no reason: nobody knows, so it may). */
export function mayStillWork(reason: Reason | null): boolean {
  return reason === null || MAY_STILL_WORK.includes(reason);
}

/** Which failed items "retry failed" sends again: all of them, or those that may still work. */
export const RETRY_SCOPES = ['all', 'may-work'] as const;
export type RetryScope = (typeof RETRY_SCOPES)[number];

export interface ApiLink {
  rel: string;
  href: string;
}

/** One item's result, in the bulk-response shape the providers use (`Data`, `IsSuccess`, …). */
export interface ResultRecord {
  Data: string;
  IsSuccess: boolean;
  Message: string;
  ApiLinks: ApiLink[] | null;
  Reason: Reason | null;
  State: ItemState;
  Provider: ProviderId;
  Account: string;
  Action: Action;
  HttpStatus: number | null;
  Attempts: number;
  CompletedAt: string | null;
}

export type StateCounts = Record<ItemState, number>;

export function emptyCounts(): StateCounts {
  return { queued: 0, in_flight: 0, succeeded: 0, failed: 0, pending: 0, stopped: 0 };
}

/** Every item, whatever its state. */
export function totalCount(counts: StateCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Items still waiting: queued, or being sent right now. A batch with none is finished. */
export function waitingCount(counts: StateCounts): number {
  return counts.queued + counts.in_flight;
}
