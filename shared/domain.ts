/**
 * Domain words shared by main and renderer: providers, item states, reasons and the
 * per-item result record in the provider's bulk-response shape.
 */
import { z } from 'zod';

export const PROVIDER_IDS = ['electio'] as const;
export const ProviderId = z.enum(PROVIDER_IDS);
export type ProviderId = z.infer<typeof ProviderId>;

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  electio: 'Electio (Sorted PRO v1)',
};

export const ACTIONS = ['cancel'] as const;
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

/**
 * `stopped` is an item the clerk stopped before it was sent. The word *cancelled* is kept for
 * what the provider did to a shipment, never for our own states.
 */
export const ITEM_STATES = ['queued', 'in_flight', 'succeeded', 'failed', 'stopped'] as const;
export const ItemState = z.enum(ITEM_STATES);
export type ItemState = z.infer<typeof ItemState>;
export const FINAL_STATES: readonly ItemState[] = ['succeeded', 'failed', 'stopped'];

/** Normalised reasons a clerk can filter on, next to the provider's own message. */
export const REASONS = [
  'cancelled',
  'already_cancelled',
  'not_found',
  'too_late',
  'unauthorized',
  'invalid_reference',
  'rate_limited',
  'provider_error',
  'network',
] as const;
export const Reason = z.enum(REASONS);
export type Reason = z.infer<typeof Reason>;

export const REASON_LABELS: Record<Reason, string> = {
  cancelled: 'Cancelled',
  already_cancelled: 'Already cancelled',
  not_found: 'Not found',
  too_late: 'Too late (manifested)',
  unauthorized: 'Key rejected',
  invalid_reference: 'Invalid reference',
  rate_limited: 'Rate limited',
  provider_error: 'Provider error',
  network: 'Network problem',
};

export const ApiLink = z.object({ rel: z.string(), href: z.string() });
export type ApiLink = z.infer<typeof ApiLink>;

/** One item's result, in the bulk-response shape the providers use (`Data`, `IsSuccess`, …). */
export const ResultRecord = z.object({
  Data: z.string(),
  IsSuccess: z.boolean(),
  Message: z.string(),
  ApiLinks: z.array(ApiLink).nullable(),
  Reason: Reason.nullable(),
  State: ItemState,
  Provider: ProviderId,
  Account: z.string(),
  Action: Action,
  HttpStatus: z.number().int().nullable(),
  Attempts: z.number().int(),
  CompletedAt: z.string().nullable(),
});
export type ResultRecord = z.infer<typeof ResultRecord>;

export const StateCounts = z.record(ItemState, z.number().int());
export type StateCounts = Record<ItemState, number>;

export function emptyCounts(): StateCounts {
  return { queued: 0, in_flight: 0, succeeded: 0, failed: 0, stopped: 0 };
}
