/**
 * The import area: read a pasted list or a file, show what it would become (preview), and queue it
 * as a batch (confirm). Nothing is queued by a preview.
 */
import type { AccountView, ImportPreview } from '../../../shared/contract';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/domain';
import { listAccounts } from '../accounts';
import type { ImportEntry } from '../import/parse';
import { planImport, queueImport, readSource } from '../import/source';
import { batchOrigin } from '../origin';
import { alreadySucceeded } from '../results';
import { accountViews } from './accounts';
import type { AreaHandlers, HandlerContext } from './context';

/** At most this many rejected rows, and sample rows, go back with a preview. */
const PREVIEW_LIMIT = 500;
const SAMPLE_LIMIT = 100;

export function importHandlers(context: HandlerContext): AreaHandlers<'import.preview' | 'import.confirm'> {
  const { db, now } = context;
  return {
    'import.preview': async ({ source, action }) => {
      const accounts = await accountViews(context);
      const plan = planImport(await readSource(source), { providers: providersWithAccounts(accounts), action });
      return {
        fileName: source.fileName,
        encoding: plan.encoding,
        delimiter: plan.delimiter,
        hasHeader: plan.hasHeader,
        column: plan.column,
        items: plan.entries.length,
        duplicates: plan.duplicates,
        rejected: plan.rejected.slice(0, PREVIEW_LIMIT),
        rejectedTotal: plan.rejected.length,
        sample: plan.entries.slice(0, SAMPLE_LIMIT).map(({ row, reference }) => ({ row, reference })),
        provider: plan.provider,
        groups: groupsOf(plan.entries, accounts),
        notes: plan.notes,
        sheets: plan.sheets,
        alreadyDone: alreadySucceeded(db, plan.entries),
      };
    },
    'import.confirm': async ({ source, action = 'cancel', accounts: choices }) => {
      const plan = planImport(await readSource(source), { providers: providersWithAccounts(listAccounts(db)), action });
      const queued = queueImport(db, plan, {
        sourceName: source.fileName,
        action,
        accounts: choices,
        ...batchOrigin(),
        now: now(),
      });
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

/**
 * The providers a reference may be read as: those the clerk has accounts for (so a UUID counts as
 * Sendcloud only where a Sendcloud account exists), or all of them before any account exists.
 */
function providersWithAccounts(accounts: readonly { provider: ProviderId }[]): ProviderId[] {
  const having = PROVIDER_IDS.filter((id) => accounts.some((account) => account.provider === id));
  return having.length ? having : [...PROVIDER_IDS];
}

function groupsOf(entries: readonly ImportEntry[], accounts: readonly AccountView[]): ImportPreview['groups'] {
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
        accounts: accounts.filter((account) => account.provider === provider),
      },
    ];
  });
}
