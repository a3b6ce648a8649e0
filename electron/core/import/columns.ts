/**
 * Chooses the column that holds the references by what it holds: every column of a sample is scored
 * by how many different values in it are valid references for some provider (under the batch's
 * action), so a column of tracking numbers, money or shop order numbers never beats one of valid
 * references. Header names only break ties, recognise a header row, and, when no value anywhere is
 * valid, point at a column whose rows are then each rejected with their reason. The clerk may
 * choose the column instead; every choice says why it was made.
 */
import { PROVIDER_IDS, PROVIDER_LABELS, type Action, type ProviderId } from '../../../shared/domain';
import { AppError } from '../errors';
import { referenceProvider, resemblesReference, shown, SCIENTIFIC } from './references';

const KNOWN_NAMES = [
  'reference',
  'consignmentreference',
  'shipmentreference',
  'trackingreference',
  'consignmentref',
  'shipmentref',
  'trackingref',
  'ref',
  'references',
  'referencenumber',
  'consignment',
  'shipment',
  'consignmentnumber',
  'consignmentid',
  'shipmentid',
  'shipmentuuid',
  'parcelid',
  'parcel',
];

/** Rows sampled to score the columns; enough for any real list, cheap on a huge one. */
export const SAMPLE_ROWS = 1000;

export function normaliseHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** How well a column's name says "references": 0 is best, Infinity is no such name. */
function nameRank(name: string | null): number {
  if (name === null) return Infinity;
  const rank = KNOWN_NAMES.indexOf(normaliseHeader(name));
  return rank < 0 ? Infinity : rank;
}

/** One column as the clerk may choose it: what it holds in the sampled rows. */
export interface ColumnCandidate {
  index: number;
  /** Its header (null when the list has none). */
  name: string | null;
  /** Values that are valid references (for some provider, under the batch's action). */
  valid: number;
  /** Values that are not empty. */
  values: number;
  /** What the column holds, in a few words ("Sorted PRO references", `numbers like "4.66203E+18"`). */
  looksLike: string;
}

export interface ColumnChoice {
  /** -1 when no column is used (the rows name Sendcloud shipments by their external ids). */
  index: number;
  hasHeader: boolean;
  /** Why this column, in a sentence ("Shipment Ref: 97 of 100 values are Sorted PRO references"). */
  reason: string;
  /** Every column, the chosen one among them, best first. */
  candidates: ColumnCandidate[];
  /** Values of the column that fit the other kind of action (Sendcloud parcel ids under "cancel"). */
  otherActionValid: number;
}

/** The column the clerk chose: its 0-based index (the app), or a header name or 1-based number as typed (the CLI). */
export type ColumnPick = { index: number } | { typed: string };

interface Score extends ColumnCandidate {
  distinct: number;
  otherDistinct: number;
  otherValid: number;
  providers: Map<ProviderId, number>;
}

/**
 * Chooses the reference column, `first` being the first non-blank record's index: -1 (with the
 * reason, and every column's candidate) when no column holds references and none is named like one.
 */
export function chooseColumn(
  records: readonly (readonly string[])[],
  first: number,
  action: Action,
  pick?: ColumnPick,
): ColumnChoice {
  const header = records[first] ?? [];
  // A row holding a reference is data, whatever words sit beside it.
  const couldBeHeader = !header.some((cell) => referenceProvider(cell.trim(), action) !== undefined);
  const sample = records.slice(first + 1, first + 1 + SAMPLE_ROWS);
  const sampled = records.length > first + 1 + SAMPLE_ROWS;
  const scores = scoreColumns(header, sample, action, couldBeHeader);
  const ranked = [...scores].sort(byScore);
  const candidates = ranked.map(({ index, name, valid, values, looksLike }) => ({ index, name, valid, values, looksLike }));
  const choose = (score: Score, reason: string): ColumnChoice => ({
    index: score.index,
    hasHeader: couldBeHeader && isHeaderCell(header[score.index] ?? '', score.name),
    reason,
    candidates,
    otherActionValid: score.otherValid,
  });

  if (pick) {
    const chosen = scores[pickedIndex(pick, header, couldBeHeader)];
    if (!chosen) throw noSuchColumn(pick, scores);
    return choose(chosen, `${label(chosen)}: chosen by you; ${counted(chosen, sampled)}.`);
  }
  const [best] = ranked;
  if (best && best.distinct > 0) return choose(best, `${label(best)}: ${counted(best, sampled)}.`);
  const named = [...scores].sort((a, b) => nameRank(a.name) - nameRank(b.name) || b.otherDistinct - a.otherDistinct)[0];
  if (named && nameRank(named.name) < Infinity) {
    return choose(named, `${label(named)}: chosen by its name; none of its ${named.values} values is a valid reference.`);
  }
  // Empty padding cells (spreadsheets export `abc,,`) do not make a list several columns wide.
  const filled = scores.filter((score) => score.values > 0 || (header[score.index] ?? '').trim() !== '');
  if (filled.length > 1) {
    const reason = `No column of references was found: none of the ${filled.length} columns holds shipment references. Choose the column, or name it "Reference".`;
    return { index: -1, hasHeader: couldBeHeader, reason, candidates, otherActionValid: 0 };
  }
  const only = filled[0] ?? scores[0];
  if (!only) return { index: 0, hasHeader: false, reason: 'The only column.', candidates, otherActionValid: 0 };
  return choose(only, `${label(only)}: the only column; none of its values is a valid reference.`);
}

/** Each column's score over the sampled rows (the first row counts only when it is no header). */
function scoreColumns(header: readonly string[], sample: readonly (readonly string[])[], action: Action, couldBeHeader: boolean) {
  const width = Math.max(header.length, ...sample.slice(0, 100).map((record) => record.length));
  const other: Action = action === 'cancel-label' ? 'cancel' : 'cancel-label';
  const rows = couldBeHeader ? sample : [header, ...sample];
  const scores: Score[] = [];
  for (let index = 0; index < width; index++) {
    const seen = new Set<string>();
    const otherSeen = new Set<string>();
    const providers = new Map<ProviderId, number>();
    let valid = 0;
    let values = 0;
    let otherValid = 0;
    const examples: string[] = [];
    for (const record of rows) {
      const value = (record[index] ?? '').trim();
      if (value === '') continue;
      values++;
      if (examples.length < 50) examples.push(value);
      const provider = referenceProvider(value, action);
      if (provider) {
        valid++;
        seen.add(value);
        providers.set(provider, (providers.get(provider) ?? 0) + 1);
      } else if (referenceProvider(value, other)) {
        otherValid++;
        otherSeen.add(value);
      }
    }
    const name = couldBeHeader ? (header[index] ?? '').trim() || null : null;
    const score = { index, name, valid, values, distinct: seen.size, otherValid, otherDistinct: otherSeen.size, providers };
    scores.push({ ...score, looksLike: describe(score, examples) });
  }
  return scores;
}

/** Best first: most different valid references, then the better name, then the leftmost. */
function byScore(a: Score, b: Score): number {
  return b.distinct - a.distinct || nameRank(a.name) - nameRank(b.name) || a.index - b.index;
}

function label(score: Pick<ColumnCandidate, 'index' | 'name'>): string {
  return score.name ?? `Column ${score.index + 1}`;
}

function counted(score: Score, sampled: boolean): string {
  const of = sampled ? `the first ${score.values}` : `${score.values}`;
  return `${score.valid} of ${of} values are ${providerWords(score.providers) || 'valid references'}`;
}

function providerWords(providers: ReadonlyMap<ProviderId, number>): string {
  const named = PROVIDER_IDS.filter((id) => (providers.get(id) ?? 0) > 0).map((id) => PROVIDER_LABELS[id]);
  return named.length ? `${named.join(' and ')} references` : '';
}

/** What a column holds, in a few words and one example. */
function describe(score: Omit<Score, 'looksLike'>, examples: readonly string[]): string {
  const words = providerWords(score.providers);
  if (words && score.valid * 2 >= score.values) return words;
  const [example] = examples;
  if (example === undefined) return 'empty';
  const share = (test: (value: string) => boolean) => examples.filter(test).length * 2 > examples.length;
  const kind = share((value) => SCIENTIFIC.test(value))
    ? 'numbers in scientific notation'
    : share((value) => /^[+-]?[\d\s.,]*\d$/.test(value))
      ? 'numbers'
      : share((value) => /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(value))
        ? 'dates'
        : 'text';
  return `${kind} like "${shown(example, 24)}"`;
}

/**
 * A first-row cell is a header when it does not look like a (broken) reference, or has a known
 * name. A cell like one (a provider's prefix, scientific notation, a code with digits) is taken as a
 * bad reference instead, so a mangled first row is reported, never silently dropped; words with
 * spaces ("Custom Field 1") never make a reference.
 */
function isHeaderCell(cell: string, name: string | null): boolean {
  const value = cell.trim();
  if (value === '') return false;
  if (nameRank(name) < Infinity) return true;
  return !resemblesReference(value) || /\s/.test(value);
}

/** The index of the column the clerk chose: by index, or as typed, by header name first, then by 1-based number. */
function pickedIndex(pick: ColumnPick, header: readonly string[], hasNames: boolean): number {
  if ('index' in pick) return pick.index;
  const wanted = normaliseHeader(pick.typed);
  const byName = hasNames ? header.findIndex((name) => normaliseHeader(name) === wanted) : -1;
  if (byName >= 0) return byName;
  return /^\d+$/.test(pick.typed.trim()) ? Number(pick.typed) - 1 : -1;
}

function noSuchColumn(pick: ColumnPick, scores: readonly Score[]): AppError {
  const asked = 'index' in pick ? `number ${pick.index + 1}` : `"${shown(pick.typed, 40)}"`;
  return new AppError(
    'bad_input',
    `There is no column ${asked} in this list (columns: ${scores
      .slice(0, 8)
      .map((score, i) => `${i + 1} ${label(score)}`)
      .join(', ')}${scores.length > 8 ? `, and ${scores.length - 8} more` : ''}).`,
  );
}
