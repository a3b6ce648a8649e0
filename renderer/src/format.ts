/** Small helpers that turn numbers, dates and provider ids into the words a clerk reads. */
import { PROVIDER_LABELS, type ProviderId } from '../../shared/domain';

/** "1 shipment", "3 shipments". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The provider's everyday name: "Electio" from "Electio (Sorted PRO v1)". */
export function providerName(provider: ProviderId): string {
  const label = PROVIDER_LABELS[provider];
  const paren = label.indexOf(' (');
  return paren > 0 ? label.slice(0, paren) : label;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** A timestamp from main (ISO 8601) in the clerk's local time; the raw text if it does not parse. */
export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** "about 3 min", "about 40 s": a rough remaining time. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  return `about ${hours} h ${Math.round((seconds % 3600) / 60)} min`;
}
