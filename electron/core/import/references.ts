/**
 * Checks one reference cell and says, in a clerk's words, what is wrong with it. Numbers that a
 * spreadsheet has rewritten in scientific notation have lost digits and are never guessed back.
 */
import { PROVIDER_IDS, PROVIDER_LABELS, type Action, type ProviderId } from '../../../shared/domain';
import { PROVIDERS, SENDCLOUD_LABEL_PATTERN } from '../providers/catalog';

export const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]?\d+$/i;

/** A Sendcloud label is named by its parcel or shipment id, not by an integration shipment's UUID. */
function isLabel(provider: ProviderId, action: Action): boolean {
  return provider === 'sendcloud' && action === 'cancel-label';
}

/** The first provider, in catalog order, that is allowed and whose reference pattern (for this action) matches. */
function firstProviderFor(value: string, allowed: readonly ProviderId[], action: Action): ProviderId | undefined {
  for (const id of PROVIDER_IDS) {
    if (allowed.includes(id) && (isLabel(id, action) ? SENDCLOUD_LABEL_PATTERN : PROVIDERS[id].referencePattern).test(value))
      return id;
  }
  return undefined;
}

/** The provider whose references (for this action) the value is one of, if any. */
export function referenceProvider(value: string, action: Action): ProviderId | undefined {
  return firstProviderFor(value, PROVIDER_IDS, action);
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
    referenceProvider(value, 'cancel') !== undefined ||
    SCIENTIFIC.test(value) ||
    /\d/.test(value) ||
    PREFIXES.some((prefix) => upper.startsWith(prefix))
  );
}

/** At most this many characters of a cell are repeated back to the clerk: enough to find it, never a whole huge field. */
const SHOWN_LENGTH = 80;

/** A cell as the clerk is shown it in a rejection: cut short, with an ellipsis, when it is long. */
export function shown(value: string, length = SHOWN_LENGTH): string {
  if (value.length <= length) return value;
  return `${value.slice(0, length - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

export type ReferenceCheck = { ok: true; reference: string; provider: ProviderId } | { ok: false; error: string };

/**
 * Validates a trimmed cell against the allowed providers (all of them when none is given). Another
 * provider's reference is named as such: one without an account, or one this import leaves out.
 */
export function checkReference(
  value: string,
  allowed: readonly ProviderId[] = PROVIDER_IDS,
  action: Action = 'cancel',
  withAccounts: readonly ProviderId[] = allowed,
): ReferenceCheck {
  if (value === '') return { ok: false, error: 'The reference is empty.' };
  if (SCIENTIFIC.test(value)) {
    return {
      ok: false,
      error: `"${shown(value)}" is a number a spreadsheet rewrote in scientific notation, so digits are lost. Format the column as Text in the spreadsheet and export again.`,
    };
  }
  const provider = firstProviderFor(value, allowed, action);
  if (provider) {
    return { ok: true, reference: isLabel(provider, action) ? value : PROVIDERS[provider].normalise(value), provider };
  }
  const elsewhere = firstProviderFor(value, PROVIDER_IDS, action);
  if (elsewhere) {
    const label = PROVIDER_LABELS[elsewhere];
    const error = withAccounts.includes(elsewhere)
      ? `"${shown(value)}" is a ${label} reference, but this import takes only ${allowed.map((id) => PROVIDER_LABELS[id]).join(' and ')} references.`
      : `"${shown(value)}" is a ${label} reference, but there is no ${label} account to send it to here. Add one, then import again.`;
    return { ok: false, error };
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
