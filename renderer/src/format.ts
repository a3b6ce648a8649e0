/** Small helpers that turn numbers, dates and provider ids into the words a clerk reads. */
import { PROVIDER_LABELS, type ProviderId } from '../../shared/domain';

/** "1 shipment", "12,480 shipments": the number grouped for reading. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** "an Electio", "a Sendcloud": the name with the article English gives it. */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
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

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** "14:32": a moment today in the clerk's local time, to the minute ("done by 14:32"). */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : clock.format(date);
}

/** "about 3 min", "about 40 s": a rough remaining time. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  return `about ${hours} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** "240 per minute", "1.5 per minute": a pace of work. */
export function formatRate(perMinute: number): string {
  const shown = perMinute >= 10 ? Math.round(perMinute).toLocaleString() : perMinute.toFixed(1);
  return `${shown} per minute`;
}

/** The first block of an id, enough to tell batches apart: "3f2a9c1e". */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** How long ago a moment was, roughly: "for 40 s", "for 3 min". Empty if it does not parse. */
export function formatSince(iso: string, now = Date.now()): string {
  const at = new Date(iso).getTime();
  if (Number.isNaN(at)) return '';
  const seconds = Math.max(0, (now - at) / 1000);
  if (seconds < 60) return `for ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `for ${Math.round(seconds / 60)} min`;
  return `for ${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
