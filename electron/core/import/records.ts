/**
 * Splits CSV or pasted text into records with papaparse, made robust for clerks' files: any mix of
 * CRLF / LF / CR, a delimiter guessed despite blank lines, and a row with a broken quote rejected on
 * its own instead of swallowing the rest of the file. Record i is row i + 1, blank lines included,
 * so numbers match the spreadsheet's rows.
 */
import Papa from 'papaparse';
import { checkShape } from './limits';

export interface Records {
  records: string[][];
  delimiter: string;
  /** Why a record cannot be trusted (its quotes are broken), by record index. */
  problems: Map<number, string>;
}

/** Tabs first: on a tie a tab or a semicolon is the real separator, commas are then inside fields. */
const DELIMITERS = ['\t', ';', ','];

const UNCLOSED = 'A quoted value on this row is not closed; check its quotation marks.';
const MISPLACED = 'A quotation mark on this row is misplaced (text after a closing quote); check its quotation marks.';

export function readRecords(input: string): Records {
  // One line ending for the whole text: papaparse picks a single one, so a list pasted together
  // from CRLF and LF sources would otherwise merge rows.
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  checkShape(...shapeBound(text));
  const delimiter = guessDelimiter(text);
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', quoteChar: '"', skipEmptyLines: false });
  const unclosed = parsed.errors.find((error) => error.code === 'MissingQuotes' && error.row !== undefined);
  const cut = unclosed?.row ?? parsed.data.length;
  const records = parsed.data.slice(0, cut);
  const problems = new Map<number, string>();
  for (const error of parsed.errors) {
    if (error.code === 'InvalidQuotes' && error.row !== undefined && error.row < cut) problems.set(error.row, MISPLACED);
  }
  if (!unclosed) return { records, delimiter, problems };

  // papaparse lets an unclosed quote run to the end of the text. End that record at the end of
  // the line where the quote opened instead, and reject it.
  const start = cut === 0 ? 0 : Papa.parse(text, { delimiter, newline: '\n', preview: cut }).meta.cursor;
  const lineEnd = text.indexOf('\n', Math.max(start, unclosed.index ?? start));
  const end = lineEnd < 0 ? text.length : lineEnd;
  problems.set(records.length, UNCLOSED);
  records.push(parseLine(text.slice(start, end), delimiter).record);
  if (lineEnd < 0) return { records, delimiter, problems };

  // No quoted field after an unclosed quote can span lines (papaparse would have closed the
  // unclosed one there), so the rest is read line by line: same records, linear time.
  for (const line of text.slice(lineEnd + 1).split('\n')) {
    const { record, problem } = parseLine(line, delimiter);
    if (problem) problems.set(records.length, problem);
    records.push(record);
  }
  return { records, delimiter, problems };
}

/**
 * At most how many rows and cells the text makes: its lines, and its lines plus its most frequent
 * candidate delimiter (the one chosen is among them). Counted in one pass before anything is parsed,
 * so a list of millions of empty lines or commas is refused before millions of records are built.
 */
function shapeBound(text: string): [rows: number, cells: number] {
  let lines = 1;
  let tabs = 0;
  let semicolons = 0;
  let commas = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a) lines++;
    else if (code === 0x09) tabs++;
    else if (code === 0x3b) semicolons++;
    else if (code === 0x2c) commas++;
  }
  return [lines, lines + Math.max(tabs, semicolons, commas)];
}

function parseLine(line: string, delimiter: string): { record: string[]; problem: string | null } {
  if (!line.includes('"')) return { record: line.split(delimiter), problem: null };
  const parsed = Papa.parse<string[]>(line, { delimiter, newline: '\n', quoteChar: '"' });
  const codes = parsed.errors.map((error) => error.code);
  const problem = codes.includes('MissingQuotes') ? UNCLOSED : codes.includes('InvalidQuotes') ? MISPLACED : null;
  return { record: parsed.data[0] ?? [''], problem };
}

/**
 * papaparse guesses from the first rows, but counts blank lines as one-field rows, so a short
 * two-column file with a trailing newline looked undelimited. Guess with blank lines skipped.
 */
function guessDelimiter(text: string): string {
  const guess = Papa.parse<string[]>(text, {
    delimitersToGuess: DELIMITERS,
    newline: '\n',
    skipEmptyLines: 'greedy',
    preview: 1,
  });
  return guess.meta.delimiter || ',';
}
