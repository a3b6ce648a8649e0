/**
 * The command line's grammar: a command, its options, and the global flags `--data-dir` and
 * `--json` that may stand before or after the command. Bad usage is an AppError (exit 2).
 */
import { parseArgs } from 'node:util';
import { AppError } from '../core/errors';

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  provider: { type: 'string' },
  name: { type: 'string' },
  'base-url': { type: 'string' },
  account: { type: 'string' },
  batch: { type: 'string' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  format: { type: 'string' },
  failed: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: readonly OptionName[] = ['data-dir', 'json', 'help', 'version'];

/** Which options each command accepts besides the global ones. */
export const COMMANDS = {
  'account add': ['provider', 'name', 'base-url'],
  'account list': [],
  import: ['account', 'provider'],
  run: ['batch', 'concurrency', 'chunk-size'],
  results: ['batch', 'format', 'failed'],
  status: ['batch'],
} as const satisfies Record<string, readonly OptionName[]>;

export type CommandName = keyof typeof COMMANDS;

export interface ParsedCommand {
  command: CommandName | null;
  positionals: string[];
  values: Partial<Record<OptionName, string | boolean>>;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new AppError('bad_input', `${parseErrorSentence(error)} See bulk-cancel --help.`);
  }
  const values = parsed.values as ParsedCommand['values'];
  let positionals = parsed.positionals;
  if (positionals.length === 0) return { command: null, positionals, values };

  let command: CommandName | undefined;
  const [first, second] = positionals;
  if (first === 'account') {
    const sub = `account ${second ?? ''}`;
    if (!(sub in COMMANDS)) throw new AppError('bad_input', 'Use "bulk-cancel account add" or "bulk-cancel account list".');
    command = sub as CommandName;
    positionals = positionals.slice(2);
  } else if (first && first in COMMANDS) {
    command = first as CommandName;
    positionals = positionals.slice(1);
  }
  if (!command) throw new AppError('bad_input', `Unknown command "${first}". See bulk-cancel --help.`);

  const allowed = new Set<OptionName>([...GLOBAL, ...COMMANDS[command]]);
  for (const name of Object.keys(values) as OptionName[]) {
    if (!allowed.has(name))
      throw new AppError('bad_input', `The option --${name} does not apply to "${command}". See bulk-cancel --help.`);
  }
  return { command, positionals, values };
}

/** Node's parseArgs messages as one plain sentence (its unknown-option text runs on with advice about `--`). */
function parseErrorSentence(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  const option = /'(-[^'\s]*)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option ${option}.`;
  const first = (text.split('\n')[0] ?? '').trim().replace(/\.$/, '');
  return `${first || 'The command line cannot be read'}.`;
}

export function positiveInteger(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < 1) {
    throw new AppError('bad_input', `--${flag} needs a whole number of 1 or more.`);
  }
  return n;
}

export const HELP = `bulk-cancel: cancel many shipments at once, from the command line.

Usage: bulk-cancel [--data-dir DIR] [--json] COMMAND [options]

Commands:
  account add --provider electio --name NAME [--base-url URL]
                         add an account; its API key is read as one line from stdin
                         and kept in the system keychain
  account list           list accounts
  import FILE [--account NAME] [--provider ID]
                         check a CSV or text list (FILE may be - for stdin) and queue
                         its references as a new batch; sends nothing
  run --batch ID [--concurrency N] [--chunk-size N]
                         send the batch's queued cancellations until each item is final
                         (concurrency: requests in flight, default 4; chunk size: Electio
                         cancellist length, default 100, 1 = one request per item)
  results --batch ID [--format json|csv] [--failed]
                         every item's result, in import order
  status [--batch ID]    item counts per state

Global options:
  --data-dir DIR         where the data lives (else $BULK_CANCEL_DATA_DIR, else the app's own)
  --json                 print exactly one JSON document on stdout
  -h, --help             this help
  --version              the version

Exit codes: 0 done; 1 done but some items failed; 2 bad usage or bad input (nothing
changed); 3 an account needs attention (key missing or refused, no keychain);
4 the database cannot be used.
`;
