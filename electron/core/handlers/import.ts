/**
 * The import area: read a pasted list or a file once, show what it would become (preview) under a
 * draft id, and queue that draft as a batch (confirm). Nothing is queued by a preview, and neither
 * needs an account's key: the accounts' ids, names and providers come from the database alone.
 */
import type { AccountRef, ImportInput, ImportPreview, Request } from '../../../shared/contract';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/domain';
import { listAccounts } from '../accounts';
import { AppError } from '../errors';
import type { ImportEntry } from '../import/parse';
import { planImport, queueImport, readFile, readText, routeEntries, type Decoded } from '../import/source';
import { plannedTimeLeft } from '../batches/estimate';
import { batchOrigin } from '../origin';
import { alreadySucceeded } from '../results';
import type { AreaHandlers, HandlerContext } from './context';
import { rejectedRowsCsv } from '../import/rejected-rows';
import { draftStore, type ImportDraft } from './import-drafts';
import { saveFile } from './save-file';

/** At most this many rejected rows, and sample rows, go back with a preview. */
const PREVIEW_LIMIT = 500;
const SAMPLE_LIMIT = 100;

export function importHandlers(
  context: HandlerContext,
): AreaHandlers<'import.preview' | 'import.estimate' | 'import.confirm' | 'import.saveRejected'> {
  const { db, now, shell, runOptions } = context;
  const drafts = draftStore();
  return {
    'import.preview': async (request) => {
      const accounts = listAccounts(db);
      const draft = 'source' in request ? await readInput(request.source) : await reread(drafts.get(request.draftId), request);
      const providers = providersWithAccounts(accounts);
      const action = request.action ?? draft.action;
      const column = 'column' in request && request.column !== undefined ? request.column : draft.column;
      const plan = planImport(draft.decoded, {
        providers,
        action,
        ...(column === undefined ? {} : { column: { index: column } }),
      });
      const kept = drafts.add({ ...draft, action, column, providers, plan }, 'draftId' in request ? request.draftId : undefined);
      return previewOf(kept, accounts, db);
    },
    'import.saveRejected': async ({ draftId }) => {
      const { plan, fileName } = drafts.get(draftId);
      const base = (fileName ?? 'pasted list').replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
      const path = await saveFile(shell, `${base} rejected rows.csv`, rejectedRowsCsv(plan.rejected));
      return { path, rows: plan.rejected.length };
    },
    'import.estimate': async ({ draftId, accounts: choices }) => {
      const { plan, action } = drafts.get(draftId);
      const accounts = listAccounts(db);
      const routing = routeEntries(plan, accounts, choices, action ?? 'cancel');
      if (routing.ambiguous.length > 0) return null;
      return plannedTimeLeft(routing.routes, accounts, runOptions, now());
    },
    'import.confirm': async ({ draftId, accounts: choices }) => {
      const draft = drafts.get(draftId);
      if (!sameProviders(draft.providers, providersWithAccounts(listAccounts(db)))) {
        throw new AppError('conflict', 'The accounts changed since this preview; check the list again.');
      }
      const action = draft.action ?? 'cancel';
      // No await from here on: a second confirm of the same draft finds it gone.
      const queued = queueImport(db, draft.plan, {
        sourceName: draft.fileName,
        action,
        accounts: choices,
        ...batchOrigin(),
        now: now(),
      });
      drafts.delete(draftId);
      return {
        batchId: queued.batchId,
        items: queued.items,
        duplicates: queued.duplicates,
        rejected: queued.rejected.length,
        routes: queued.routes,
      };
    },
  };
}

type Unplanned = Omit<ImportDraft, 'id' | 'providers' | 'plan'>;

/** Reads what crossed IPC: pasted text as it is, a file's bytes in whatever encoding or workbook it is. */
async function readInput(input: ImportInput): Promise<Unplanned> {
  const read: { decoded: Decoded; bytes: Uint8Array | null } =
    input.kind === 'text'
      ? { decoded: readText(input.text), bytes: null }
      : { decoded: await readFile(input.bytes, input.sheet), bytes: input.bytes };
  return { ...read, fileName: input.fileName, sheet: sheetOf(read.decoded), action: undefined, column: undefined };
}

/** A kept draft for another look: another sheet is read from its bytes; otherwise it is planned again as read. */
async function reread(draft: ImportDraft, request: Extract<Request<'import.preview'>, { draftId: string }>): Promise<Unplanned> {
  if (request.sheet === undefined || request.sheet === draft.sheet || !draft.bytes) return draft;
  const decoded = await readFile(draft.bytes, request.sheet);
  // Another sheet has other columns: its own is found again.
  return { ...draft, decoded, sheet: sheetOf(decoded), column: undefined };
}

function sheetOf(decoded: Decoded): string | null {
  return 'sheet' in decoded ? decoded.sheet : null;
}

function previewOf(draft: ImportDraft, accounts: readonly AccountRef[], db: HandlerContext['db']): ImportPreview {
  const { plan } = draft;
  return {
    draftId: draft.id,
    fileName: draft.fileName,
    encoding: plan.encoding,
    delimiter: plan.delimiter,
    hasHeader: plan.hasHeader,
    column: plan.column,
    candidates: plan.candidates,
    items: plan.entries.length,
    duplicates: plan.duplicates,
    duplicateRows: plan.duplicateRows.slice(0, PREVIEW_LIMIT),
    hints: plan.hints,
    rejected: plan.rejected.slice(0, PREVIEW_LIMIT),
    rejectedTotal: plan.rejected.length,
    sample: plan.entries.slice(0, SAMPLE_LIMIT).map(({ row, reference }) => ({ row, reference })),
    provider: plan.provider,
    groups: groupsOf(plan.entries, accounts),
    notes: plan.notes,
    sheets: plan.sheets,
    sheet: draft.sheet,
    alreadyDone: alreadySucceeded(db, plan.entries),
  };
}

/**
 * The providers a reference may be read as: those the clerk has accounts for (so a UUID counts as
 * Sendcloud only where a Sendcloud account exists), or all of them before any account exists.
 */
function providersWithAccounts(accounts: readonly { provider: ProviderId }[]): ProviderId[] {
  const having = PROVIDER_IDS.filter((id) => accounts.some((account) => account.provider === id));
  return having.length ? having : [...PROVIDER_IDS];
}

function sameProviders(a: readonly ProviderId[], b: readonly ProviderId[]): boolean {
  return a.length === b.length && a.every((provider) => b.includes(provider));
}

function groupsOf(entries: readonly ImportEntry[], accounts: readonly AccountRef[]): ImportPreview['groups'] {
  return PROVIDER_IDS.flatMap((provider) => {
    const mine = entries.filter((entry) => entry.provider === provider);
    if (mine.length === 0) return [];
    const named = new Map<string, number>();
    for (const entry of mine) if (entry.accountName) named.set(entry.accountName, (named.get(entry.accountName) ?? 0) + 1);
    return [
      {
        provider,
        items: mine.length,
        named: [...named].map(([accountName, items]) => ({ accountName, items })),
        accounts: accounts
          .filter((account) => account.provider === provider)
          .map(({ id, name, provider: of }) => ({ id, name, provider: of })),
      },
    ];
  });
}
