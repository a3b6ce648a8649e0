/**
 * The help of `bulk-cancel`: each command's own (`bulk-cancel help COMMAND`, `COMMAND --help`), and
 * the whole usage, which lists every command's.
 */
import { AppError } from '../core/errors';
import type { CommandName } from './args';

interface CommandHelp {
  /** The command and its options as typed; further lines continue it. */
  usage: readonly string[];
  /** What it does, line by line. */
  text: readonly string[];
  /** It reads references, so the providers' kinds of reference matter to it. */
  providers?: true;
}

/** Every command's help, in the order the usage lists them. */
const HELPS: Record<CommandName, CommandHelp> = {
  'account add': {
    usage: [
      'account add --provider electio|sorted-pro|sendcloud --name NAME [--base-url URL] [--rate N] [--pace-ceiling N]',
      '            [--integration-id N] [--auth basic|oauth2] [--token-url URL]',
    ],
    text: [
      'add an account; its secret is read as one line from stdin and',
      'kept in the system keychain. Electio and Sorted PRO: the API key.',
      'Sendcloud: PUBLIC_KEY:SECRET_KEY (--auth basic, the default) or',
      'CLIENT_ID:CLIENT_SECRET (--auth oauth2; --token-url overrides',
      "Sendcloud's token address). --integration-id is the shop",
      'integration whose shipments "cancel" removes (Sendcloud only).',
      "--rate: requests per minute (default: the provider's own pace).",
      '--pace-ceiling: the most requests per minute the automatic pace',
      'rises to (default: 10× --rate; never past a published limit).',
      "--base-url is the API root the provider's paths hang from",
    ],
    providers: true,
  },
  'account list': { usage: ['account list'], text: ['list accounts'] },
  'account remove': {
    usage: ['account remove NAME'],
    text: ['remove an account and its key (refused while it has queued items)'],
  },
  'account set-key': {
    usage: ['account set-key NAME'],
    text: [
      "replace an account's key (one refused or changed) with the one",
      'read as one line from stdin, in the form account add reads it;',
      'the old key is overwritten in the system keychain',
    ],
  },
  'account check': {
    usage: ['account check NAME'],
    text: [
      "check an account's saved key with a harmless read of a shipment",
      'that does not exist (nothing changes at the carrier): exit 0 when',
      'the carrier accepts the key, 3 when it refuses it, 1 when no',
      'answer tells (no connection, the carrier busy)',
    ],
  },
  import: {
    usage: [
      'import FILE [--account NAME]... [--provider ID] [--action ACTION]',
      '       [--column NAME|NUMBER] [--sheet NAME|NUMBER] [--rejected OUT.csv]',
    ],
    text: [
      'check a CSV, text or .xlsx list (FILE may be - for stdin) and queue',
      'its references as a new batch; sends nothing. The column read is',
      'the one whose values are references (said, with why, and every',
      'other column, in --json); --column chooses it by header name or',
      'number (1 = first), --sheet a workbook sheet by name or number.',
      '--rejected writes the rejected rows (row, value, reason) as CSV.',
      'Each row goes to the account its "account" column names, else to',
      'the --account given for its provider (repeat --account, one per',
      "provider), else to its provider's only account. --provider reads",
      "every reference as that provider's. References an earlier batch",
      'already cancelled are queued too, and listed as a warning.',
      'ACTION (default cancel):',
      '  cancel             cancel the shipment; for Sendcloud this removes',
      '                     the shipment from the shop integration and',
      '                     does NOT cancel a label',
      '  cancel-and-delete  Sorted PRO: cancel, then delete the shipment',
      '                     (others: cancel)',
      '  cancel-label       Sendcloud: cancel the label by parcel id or',
      '                     shipment id (others: cancel)',
    ],
    providers: true,
  },
  run: {
    usage: ['run --batch ID [--concurrency N] [--chunk-size N] [--max-attempts N] [--max-wait S]', '    [--retry-failed]'],
    text: [
      "send the batch's queued cancellations until each item is final",
      '(concurrency: requests in flight, default 4; chunk size: Electio',
      'cancellist length, default 100, 1 = one request per item;',
      'max attempts per item before it fails, default 5). Offline, it',
      'waits and retries by itself without spending attempts; --max-wait',
      'gives up after S seconds offline (exit 1, items stay queued).',
      'Items a crashed run left in flight are taken back at once.',
      'A Sendcloud label cancellation it accepts but finishes later',
      'ends "pending": not failed. --retry-failed first puts the',
      "batch's failed items back in the queue for a new round of",
      'attempts (their earlier attempts stay recorded)',
    ],
  },
  stop: {
    usage: ['stop --batch ID'],
    text: [
      'stop a batch: its items not sent yet end "stopped" and are never',
      'sent; items already answered keep their results, and items a run',
      'is sending right now finish as usual',
    ],
  },
  results: {
    usage: ['results --batch ID [--format json|csv] [--failed]'],
    text: ["every item's result, in import order"],
  },
  status: { usage: ['status [--batch ID]'], text: ['item counts per state'] },
  batches: {
    usage: ['batches'],
    text: ['every batch, newest first: its id, when and from which list it', 'was imported, its action and its items per state'],
  },
  diagnostics: {
    usage: ['diagnostics'],
    text: [
      'a text for support: versions, folders, counts, accounts with the',
      'kind of key each has (never a key), the last 200 log lines',
    ],
  },
};

/** Commands are listed in the order they are written above. */
const ORDER = Object.keys(HELPS) as CommandName[];

const PROVIDERS = `Providers: electio (Electio, Sorted PRO v1; references like EC-000-05D-1NS),
sorted-pro (Sorted PRO v2; sp_ and digits), sendcloud (shipment UUIDs, or the
external_order_id and external_shipment_id columns; parcel or shipment ids for
cancel-label).
`;

const GLOBAL_OPTIONS = `Global options:
  --data-dir DIR         where the data lives (else $BULK_CANCEL_DATA_DIR, else the app's own)
  --json                 print exactly one JSON document on stdout
  -h, --help             this help (after a command: that command's help)
  --version              the version
`;

const EXIT_CODES = `Exit codes: 0 done; 1 done but some items failed; 2 bad usage or bad input (nothing
changed); 3 an account needs attention (key missing or refused, no keychain);
4 the database cannot be used.
`;

const TEXT_COLUMN = 25;

/** One command as the usage lists it: its usage, then its text from column 25 (on the same line when it fits). */
function listed(name: CommandName): string {
  const { usage, text } = HELPS[name];
  const indent = ' '.repeat(TEXT_COLUMN);
  const lines = usage.map((line) => `  ${line}`);
  const [first = '', ...rest] = text;
  const [only] = lines;
  if (lines.length === 1 && only !== undefined && only.length < TEXT_COLUMN - 1) lines[0] = `${only.padEnd(TEXT_COLUMN)}${first}`;
  else lines.push(`${indent}${first}`);
  return [...lines, ...rest.map((line) => `${indent}${line}`)].join('\n');
}

export const HELP = `bulk-cancel: cancel many shipments at once, from the command line.

Usage: bulk-cancel [--data-dir DIR] [--json] COMMAND [options]
       bulk-cancel help COMMAND     (or COMMAND --help): one command's help

Commands:
${ORDER.map(listed).join('\n')}

${PROVIDERS}
${GLOBAL_OPTIONS}
${EXIT_CODES}`;

/** The help of a topic: a command (`import`, `account add`), all account commands (`account`), or everything (none). */
export function helpFor(topic: readonly string[]): string {
  if (topic.length === 0) return HELP;
  const name = topic.join(' ');
  if (name === 'account') {
    const accounts = ORDER.filter((command) => command.startsWith('account '));
    return sections(
      'Usage: bulk-cancel [--data-dir DIR] [--json] account add|list|remove|set-key|check [NAME] [options]\n',
      `Commands:\n${accounts.map(listed).join('\n')}\n`,
      PROVIDERS,
    );
  }
  const command = ORDER.find((known) => known === name);
  if (!command) throw new AppError('bad_input', `There is no command "${name}". See bulk-cancel --help.`);
  const { usage, text, providers } = HELPS[command];
  const [first = '', ...rest] = usage;
  return sections(
    [`Usage: bulk-cancel [--data-dir DIR] [--json] ${first}`, ...rest.map((line) => `       ${line}`), ''].join('\n'),
    [...text.map((line) => `  ${line}`), ''].join('\n'),
    providers ? PROVIDERS : '',
  );
}

/** The sections of one help, a blank line apart, ending with the global options and the exit codes. */
function sections(...parts: string[]): string {
  return [...parts, GLOBAL_OPTIONS, EXIT_CODES].filter(Boolean).join('\n');
}
