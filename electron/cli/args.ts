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
  account: { type: 'string', multiple: true },
  action: { type: 'string' },
  'integration-id': { type: 'string' },
  auth: { type: 'string' },
  'token-url': { type: 'string' },
  rate: { type: 'string' },
  batch: { type: 'string' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  'max-attempts': { type: 'string' },
  'max-wait': { type: 'string' },
  format: { type: 'string' },
  failed: { type: 'boolean' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: readonly OptionName[] = ['data-dir', 'json', 'help', 'version'];

/** Which options each command accepts besides the global ones. */
export const COMMANDS = {
  'account add': ['provider', 'name', 'base-url', 'integration-id', 'auth', 'token-url', 'rate'],
  'account list': [],
  'account remove': [],
  import: ['account', 'provider', 'action'],
  run: ['batch', 'concurrency', 'chunk-size', 'max-attempts', 'max-wait'],
  results: ['batch', 'format', 'failed'],
  status: ['batch'],
  diagnostics: [],
} as const satisfies Record<string, readonly OptionName[]>;

export type CommandName = keyof typeof COMMANDS;

export interface ParsedCommand {
  command: CommandName | null;
  positionals: string[];
  /** `--account` may be repeated, so it is a list; every other option is given once. */
  values: Partial<Record<Exclude<OptionName, 'account'>, string | boolean>> & { account?: string[] };
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
    if (!(sub in COMMANDS))
      throw new AppError(
        'bad_input',
        'Use "bulk-cancel account add", "bulk-cancel account list" or "bulk-cancel account remove NAME".',
      );
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

export function positiveInteger(
  value: string | boolean | undefined,
  flag: string,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < 1 || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'of 1 or more' : `from 1 to ${max}`;
    throw new AppError('bad_input', `--${flag} needs a whole number ${range}.`);
  }
  return n;
}

export const HELP = `bulk-cancel: cancel many shipments at once, from the command line.

Usage: bulk-cancel [--data-dir DIR] [--json] COMMAND [options]

Commands:
  account add --provider electio|sorted-pro|sendcloud --name NAME [--base-url URL] [--rate N]
              [--integration-id N] [--auth basic|oauth2] [--token-url URL]
                         add an account; its secret is read as one line from stdin and
                         kept in the system keychain. Electio and Sorted PRO: the API key.
                         Sendcloud: PUBLIC_KEY:SECRET_KEY (--auth basic, the default) or
                         CLIENT_ID:CLIENT_SECRET (--auth oauth2; --token-url overrides
                         Sendcloud's token address). --integration-id is the shop
                         integration whose shipments "cancel" removes (Sendcloud only).
                         --rate: requests per minute (default: the provider's own pace).
                         --base-url is the API root the provider's paths hang from
  account list           list accounts
  account remove NAME    remove an account and its key (refused while it has queued items)
  import FILE [--account NAME]... [--provider ID] [--action ACTION]
                         check a CSV or text list (FILE may be - for stdin) and queue
                         its references as a new batch; sends nothing. Each row goes to
                         the account its "account" column names, else to the --account
                         given for its provider (repeat --account, one per provider),
                         else to its provider's only account. --provider reads every
                         reference as that provider's. ACTION (default cancel):
                           cancel             cancel the shipment; for Sendcloud this removes
                                              the shipment from the shop integration and
                                              does NOT cancel a label
                           cancel-and-delete  Sorted PRO: cancel, then delete the shipment
                                              (others: cancel)
                           cancel-label       Sendcloud: cancel the label by parcel id or
                                              shipment id (others: cancel)
  run --batch ID [--concurrency N] [--chunk-size N] [--max-attempts N] [--max-wait S]
                         send the batch's queued cancellations until each item is final
                         (concurrency: requests in flight, default 4; chunk size: Electio
                         cancellist length, default 100, 1 = one request per item;
                         max attempts per item before it fails, default 5). Offline, it
                         waits and retries by itself without spending attempts; --max-wait
                         gives up after S seconds offline (exit 1, items stay queued).
                         Items a crashed run left in flight are taken back at once.
                         A Sendcloud label cancellation it accepts but finishes later
                         ends "pending": not failed
  results --batch ID [--format json|csv] [--failed]
                         every item's result, in import order
  status [--batch ID]    item counts per state
  diagnostics            a text for support: versions, folders, counts, accounts with the
                         kind of key each has (never a key), the last 200 log lines

Providers: electio (Electio, Sorted PRO v1; references like EC-000-05D-1NS),
sorted-pro (Sorted PRO v2; sp_ and digits), sendcloud (shipment UUIDs, or the
external_order_id and external_shipment_id columns; parcel or shipment ids for
cancel-label).

Global options:
  --data-dir DIR         where the data lives (else $BULK_CANCEL_DATA_DIR, else the app's own)
  --json                 print exactly one JSON document on stdout
  -h, --help             this help
  --version              the version

Exit codes: 0 done; 1 done but some items failed; 2 bad usage or bad input (nothing
changed); 3 an account needs attention (key missing or refused, no keychain);
4 the database cannot be used.
`;
