/**
 * Checks one reference cell and says, in a clerk's words, what is wrong with it. Numbers that a
 * spreadsheet has rewritten in scientific notation have lost digits and are never guessed back.
 */
import { PROVIDER_IDS, PROVIDER_LABELS, type Action, type ProviderId } from '../../../shared/domain';
import { PROVIDERS, SENDCLOUD_LABEL_PATTERN } from '../providers/catalog';

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;

/** A Sendcloud label is named by its parcel or shipment id, not by an integration shipment's UUID. */
function isLabel(provider: ProviderId, action: Action): boolean {
  return provider === 'sendcloud' && action === 'cancel-label';
}

/** The providers whose reference pattern (for this action) this value matches. */
export function providersFor(value: string, action: Action = 'cancel'): ProviderId[] {
  return PROVIDER_IDS.filter((id) =>
    (isLabel(id, action) ? SENDCLOUD_LABEL_PATTERN : PROVIDERS[id].referencePattern).test(value),
  );
}

export function looksLikeReference(value: string): boolean {
  return providersFor(value).length > 0;
}

/** The fixed start of each provider's references that has one (`EC-`), read from its example. */
const PREFIXES = PROVIDER_IDS.flatMap((id) => /^[A-Za-z]+[-_]/.exec(PROVIDERS[id].referenceExample)?.[0].toUpperCase() ?? []);

/**
 * Could this be a (possibly broken) reference rather than a column name? Digits, a provider's
 * prefix or scientific notation say so; header detection uses it so a bad first row is reported.
 */
export function resemblesReference(value: string): boolean {
  const upper = value.toUpperCase();
  return (
    looksLikeReference(value) || SCIENTIFIC.test(value) || /\d/.test(value) || PREFIXES.some((prefix) => upper.startsWith(prefix))
  );
}

/** At most this many characters of a cell are repeated back to the clerk: enough to find it, never a whole huge field. */
const SHOWN_LENGTH = 80;

/** A cell as the clerk is shown it in a rejection: cut short, with an ellipsis, when it is long. */
export function shown(value: string): string {
  if (value.length <= SHOWN_LENGTH) return value;
  return `${value.slice(0, SHOWN_LENGTH - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

export type ReferenceCheck = { ok: true; reference: string; provider: ProviderId } | { ok: false; error: string };

/** Validates a trimmed cell against the allowed providers (all of them when none is given). */
export function checkReference(
  value: string,
  allowed: readonly ProviderId[] = PROVIDER_IDS,
  action: Action = 'cancel',
): ReferenceCheck {
  if (value === '') return { ok: false, error: 'The reference is empty.' };
  if (SCIENTIFIC.test(value)) {
    return {
      ok: false,
      error: `"${shown(value)}" is a number a spreadsheet rewrote in scientific notation, so digits are lost. Format the column as Text in the spreadsheet and export again.`,
    };
  }
  const provider = providersFor(value, action).find((id) => allowed.includes(id));
  if (provider) {
    return { ok: true, reference: isLabel(provider, action) ? value : PROVIDERS[provider].normalise(value), provider };
  }
  const expected = allowed
    .map((id) =>
      isLabel(id, action)
        ? 'a Sendcloud parcel or shipment id like 12345678'
        : `${PROVIDER_LABELS[id]} like ${PROVIDERS[id].referenceExample}`,
    )
    .join(' or ');
  return { ok: false, error: `"${shown(value)}" is not a valid reference (expected ${expected}).` };
}
