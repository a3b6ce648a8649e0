/**
 * Turns what the clerk gave (a file's bytes or pasted text) into a checked list of references,
 * routes each to its account, and queues the list as a new batch. Nothing is sent here.
 */
import type { RejectedRow } from '../../../shared/contract';
import { PROVIDER_LABELS, itemAction, type Action, type ProviderId } from '../../../shared/domain';
import { accountNameKey, listAccounts, type Account } from '../accounts';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { createBatch, type NewItem } from '../queue/batch-writes';
import { decodeBytes, type DecodedText } from './decode';
import { checkSize } from './limits';
import { parseList, parseTable, type ImportEntry, type ParseOptions, type ParsedList } from './parse';
import { isXlsx, readSpreadsheet, type Table } from './spreadsheet';

/** What the clerk gave, read: text to parse, or a spreadsheet's sheet already in rows. */
export type Decoded = DecodedText | (Table & { encoding: string; notes: string[] });

/** Pasted text, as it is. */
export function readText(text: string): Decoded {
  return { text, encoding: 'UTF-8', notes: [] };
}

/** A file's bytes: an .xlsx workbook (first sheet, or the one named), else text in any encoding we read. */
export async function readFile(bytes: Uint8Array, sheet?: string): Promise<Decoded> {
  checkSize(bytes.length);
  if (!isXlsx(bytes)) {
    if (sheet !== undefined) throw new AppError('bad_input', 'Only an Excel workbook (.xlsx) has sheets to choose from.');
    return decodeBytes(bytes);
  }
  const table = await readSpreadsheet(bytes, sheet);
  const notes =
    table.sheets.length > 1 ? [`Read the sheet "${table.sheet}" of ${table.sheets.length} (${table.sheets.join(', ')}).`] : [];
  return { ...table, encoding: 'Excel workbook (.xlsx)', notes };
}

export interface ImportPlan extends ParsedList {
  encoding: string;
  notes: string[];
  /** A workbook's sheets, to choose another one; empty for text. */
  sheets: string[];
  /** The workbook's sheet read; null for text. */
  sheet: string | null;
}

export function planImport(decoded: Decoded, options: ParseOptions = {}): ImportPlan {
  const parsed =
    'text' in decoded
      ? parseList(decoded.text, options)
      : parseTable({ records: decoded.records, delimiter: '', problems: new Map() }, options);
  const [sheets, sheet] = 'sheets' in decoded ? [decoded.sheets, decoded.sheet] : [[], null];
  return { ...parsed, encoding: decoded.encoding, notes: decoded.notes, sheets, sheet };
}

/** The account chosen for each provider, for rows that do not name their own. */
export type AccountChoices = Partial<Record<ProviderId, string>>;

export interface Route {
  accountId: string;
  accountName: string;
  provider: ProviderId;
  action: Action;
  items: number;
}

export interface Routing {
  items: NewItem[];
  rejected: RejectedRow[];
  routes: Route[];
  /** Providers with rows that still need the clerk to pick one of several accounts. */
  ambiguous: { provider: ProviderId; accounts: Account[] }[];
}

/**
 * Sends each entry to its account: the one its row names, else the one chosen for its provider,
 * else the provider's only account. Rows whose provider has no account are rejected with a reason.
 */
export function routeEntries(
  plan: ImportPlan,
  accounts: readonly Account[],
  choices: AccountChoices,
  batchAction: Action,
): Routing {
  checkChoices(accounts, choices);
  const byName = new Map(accounts.map((account) => [accountNameKey(account.name), account]));
  const destinationOf = destinations(accounts, choices);
  const items: NewItem[] = [];
  const rejected = [...plan.rejected];
  // An account's items all share one action (it follows from the provider), so a route is an account.
  const routes = new Map<Account, Route>();
  const ambiguous = new Map<ProviderId, Account[]>();
  for (const entry of plan.entries) {
    const found = entryAccount(entry, byName, destinationOf);
    if ('error' in found) {
      rejected.push({ row: entry.row, value: entry.reference, error: found.error });
      continue;
    }
    if ('ambiguous' in found) {
      ambiguous.set(entry.provider, found.ambiguous);
      continue;
    }
    const { account } = found;
    const route = routeOf(routes, account, batchAction);
    route.items++;
    items.push({
      row: entry.row,
      reference: entry.reference,
      provider: entry.provider,
      accountId: account.id,
      action: route.action,
      external: entry.external,
    });
  }
  rejected.sort((a, b) => a.row - b.row);
  return {
    items,
    rejected,
    routes: [...routes.values()],
    ambiguous: [...ambiguous].map(([provider, list]) => ({ provider, accounts: list })),
  };
}

/** Each account chosen for a provider must exist and be of that provider. */
function checkChoices(accounts: readonly Account[], choices: AccountChoices): void {
  for (const [provider, id] of Object.entries(choices)) {
    const chosen = accounts.find((account) => account.id === id);
    if (!chosen || chosen.provider !== provider) {
      throw new AppError(
        'bad_input',
        `The account chosen for ${PROVIDER_LABELS[provider as ProviderId]} does not exist or is not a ${PROVIDER_LABELS[provider as ProviderId]} account.`,
      );
    }
  }
}

/** One account, several to choose from, or none. */
type Destination = Account | Account[] | null;

/** Where a provider's rows go when they name no account: decided once per provider, not per row. */
function destinations(accounts: readonly Account[], choices: AccountChoices): (provider: ProviderId) => Destination {
  const decided = new Map<ProviderId, Destination>();
  return (provider) => {
    let destination = decided.get(provider);
    if (destination === undefined) {
      const candidates = accounts.filter((account) => account.provider === provider);
      const chosen = choices[provider];
      destination = chosen
        ? (candidates.find((candidate) => candidate.id === chosen) ?? null)
        : candidates.length === 1
          ? (candidates[0] ?? null)
          : candidates.length > 1
            ? candidates
            : null;
      decided.set(provider, destination);
    }
    return destination;
  };
}

/** The account an entry goes to, or why it goes to none: a rejection, or several accounts to choose from. */
function entryAccount(
  entry: ImportEntry,
  byName: ReadonlyMap<string, Account>,
  destinationOf: (provider: ProviderId) => Destination,
): { account: Account } | { error: string } | { ambiguous: Account[] } {
  if (entry.accountName) {
    const account = byName.get(accountNameKey(entry.accountName));
    if (!account) return { error: `There is no account named "${entry.accountName}".` };
    if (account.provider !== entry.provider) {
      return {
        error: `Account "${account.name}" is ${PROVIDER_LABELS[account.provider]}, but this is a ${PROVIDER_LABELS[entry.provider]} reference.`,
      };
    }
    return { account };
  }
  const destination = destinationOf(entry.provider);
  if (Array.isArray(destination)) return { ambiguous: destination };
  if (!destination) {
    return {
      error: `There is no ${PROVIDER_LABELS[entry.provider]} account to send this to. Add one, then import again.`,
    };
  }
  return { account: destination };
}

/** The account's route, begun at its first item. */
function routeOf(routes: Map<Account, Route>, account: Account, batchAction: Action): Route {
  let route = routes.get(account);
  if (!route) {
    const action = itemAction(batchAction, account.provider);
    route = { accountId: account.id, accountName: account.name, provider: account.provider, action, items: 0 };
    routes.set(account, route);
  }
  return route;
}

export interface QueuedImport {
  batchId: string;
  items: number;
  duplicates: number;
  rejected: RejectedRow[];
  routes: Route[];
}

export interface QueueRequest {
  sourceName: string | null;
  action: Action;
  accounts: AccountChoices;
  createdBy: string | null;
  machine: string | null;
  now: number;
}

/** Queues the plan as a new batch, every item with its account; nothing is sent here. */
export function queueImport(db: Db, plan: ImportPlan, request: QueueRequest): QueuedImport {
  const routing = routeEntries(plan, listAccounts(db), request.accounts, request.action);
  const [first] = routing.ambiguous;
  if (first) {
    throw new AppError(
      'bad_input',
      `Several ${PROVIDER_LABELS[first.provider]} accounts fit (${first.accounts.map((a) => a.name).join(', ')}): choose which one to use.`,
    );
  }
  if (routing.items.length === 0) {
    throw new AppError('bad_input', 'No valid reference to cancel was found in this list; nothing was queued.');
  }
  return queueRouted(db, plan, routing, request);
}

/** Queues a plan already routed (and checked) by its caller, as a new batch. */
export function queueRouted(db: Db, plan: ImportPlan, routing: Routing, request: QueueRequest): QueuedImport {
  const batchId = createBatch(db, { ...request, items: routing.items });
  return {
    batchId,
    items: routing.items.length,
    duplicates: plan.duplicates,
    rejected: routing.rejected,
    routes: routing.routes,
  };
}
