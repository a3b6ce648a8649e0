/**
 * The command line's grammar: a command, its options, and the global flags `--data-dir` and
 * `--json` that may stand before or after the command. Bad usage is an AppError (exit 2).
 */
import { parseArgs } from 'node:util';
import { ACTIONS, PROVIDER_IDS, type Action, type ProviderId } from '../../shared/domain';
import { AppError } from '../core/errors';
import { HELP, helpFor } from './help';

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
  'pace-ceiling': { type: 'string' },
  batch: { type: 'string' },
  concurrency: { type: 'string' },
  'chunk-size': { type: 'string' },
  'max-attempts': { type: 'string' },
  'max-wait': { type: 'string' },
  format: { type: 'string' },
  failed: { type: 'boolean' },
  'retry-failed': { type: 'boolean' },
  column: { type: 'string' },
  sheet: { type: 'string' },
  rejected: { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: readonly OptionName[] = ['data-dir', 'json', 'help', 'version'];

/** Which options each command accepts besides the global ones. */
export const COMMANDS = {
  'account add': ['provider', 'name', 'base-url', 'integration-id', 'auth', 'token-url', 'rate', 'pace-ceiling'],
  'account list': [],
  'account remove': [],
  'account set-key': [],
  'account check': [],
  import: ['account', 'provider', 'action', 'column', 'sheet', 'rejected'],
  run: ['batch', 'concurrency', 'chunk-size', 'max-attempts', 'max-wait', 'retry-failed'],
  stop: ['batch'],
  results: ['batch', 'format', 'failed'],
  status: ['batch'],
  batches: [],
  diagnostics: [],
} as const satisfies Record<string, readonly OptionName[]>;

export type CommandName = keyof typeof COMMANDS;

export interface ParsedCommand {
  command: CommandName | null;
  positionals: string[];
  /** `--account` may be repeated, so it is a list; every other option is given once. */
  values: Partial<Record<Exclude<OptionName, 'account'>, string | boolean>> & { account?: string[] };
  /** The help asked for (`--help`, `help TOPIC`, `COMMAND --help`): printed instead of running anything. */
  help?: string;
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
  if (positionals.length === 0) return { command: null, positionals, values, ...(values.help ? { help: HELP } : {}) };

  let command: CommandName | undefined;
  const [first, second] = positionals;
  if (first === 'help') return { command: null, positionals: [], values, help: helpFor(positionals.slice(1)) };
  if (first === 'account') {
    const sub = `account ${second ?? ''}`;
    if (second === undefined && values.help) return { command: null, positionals: [], values, help: helpFor(['account']) };
    if (!(sub in COMMANDS))
      throw new AppError(
        'bad_input',
        'Use "bulk-cancel account add", "bulk-cancel account list", "bulk-cancel account remove NAME", "bulk-cancel account set-key NAME" or "bulk-cancel account check NAME".',
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
  return { command, positionals, values, ...(values.help ? { help: helpFor(command.split(' ')) } : {}) };
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

/** --provider: one of the providers' ids, or none. */
export function providerOption(value: string | boolean | undefined): ProviderId | undefined {
  if (value === undefined) return undefined;
  const found = PROVIDER_IDS.find((id) => id === value);
  if (!found) throw new AppError('bad_input', `Unknown provider "${String(value)}". Use one of: ${PROVIDER_IDS.join(', ')}.`);
  return found;
}

/** --action: one of the actions, `cancel` when none is given. */
export function actionOption(value: string | boolean | undefined): Action {
  if (value === undefined) return 'cancel';
  const found = ACTIONS.find((action) => action === value);
  if (!found) throw new AppError('bad_input', `Unknown action "${String(value)}". Use one of: ${ACTIONS.join(', ')}.`);
  return found;
}
