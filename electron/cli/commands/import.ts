/**
 * `bulk-cancel import FILE`: reads a list, routes each reference to its account and queues it as a
 * new batch (sending nothing), and says what was rejected, collapsed, or already cancelled before.
 */
import { PROVIDER_IDS, PROVIDER_LABELS, actionDescription, type ProviderId } from '../../../shared/domain';
import { listAccounts, type Account } from '../../core/accounts';
import type { Db } from '../../core/db/open';
import { AppError, isAppError } from '../../core/errors';
import { writeFile } from 'node:fs/promises';
import type { RejectedRow } from '../../../shared/contract';
import { rejectedRowsCsv } from '../../core/import/rejected-rows';
import {
  planImport,
  type ImportPlan,
  queueRouted,
  readFile,
  routeEntries,
  type AccountChoices,
  type QueuedImport,
  type Routing,
} from '../../core/import/source';
import { batchOrigin } from '../../core/origin';
import { fileSystemReason } from '../../core/paths';
import { alreadySucceeded } from '../../core/results';
import { actionOption, providerOption } from '../args';
import { EXIT, type Context } from '../context';
import { readInput, type Output } from '../io';
import { namedAccount } from './account-key';

type AlreadyDone = ReturnType<typeof alreadySucceeded>;

/**
 * The accounts named with --account, one per provider. Each must exist and, with --provider, be
 * of that provider.
 */
function chooseAccounts(db: Db, names: readonly string[], provider: ProviderId | undefined): AccountChoices {
  const choices: AccountChoices = {};
  const chosen = new Map<ProviderId, Account>();
  for (const name of names) {
    const account = namedAccount(db, name);
    if (provider && account.provider !== provider)
      throw new AppError('bad_input', `Account "${account.name}" is ${account.provider}, not ${provider}.`);
    const other = chosen.get(account.provider);
    if (other && other.id !== account.id) {
      throw new AppError(
        'bad_input',
        `"${other.name}" and "${account.name}" are both ${account.provider} accounts: give at most one --account per provider.`,
      );
    }
    chosen.set(account.provider, account);
    choices[account.provider] = account.id;
  }
  return choices;
}

/** Refuses, before anything is queued, a list that needs a choice of account or has no valid row (saying what would help). */
function checkRouting(routing: Routing, hints: readonly string[]): void {
  const [ambiguous] = routing.ambiguous;
  if (ambiguous) {
    throw new AppError(
      'bad_input',
      `Several ${ambiguous.provider} accounts fit (${ambiguous.accounts.map((a) => a.name).join(', ')}): choose one with --account NAME (one --account per provider), or name the account in an "account" column.`,
    );
  }
  if (routing.items.length === 0) {
    const [first] = routing.rejected;
    throw new AppError(
      'bad_input',
      [
        'No valid reference to cancel was found in this list; nothing was queued.',
        ...(first ? [`Row ${first.row}: ${first.error}`] : []),
        ...hints,
      ].join(' '),
    );
  }
}

export async function importFile({ db, out, values, positionals }: Context): Promise<number> {
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new AppError('bad_input', 'Give exactly one FILE to import (or - for stdin).');
  const provider = providerOption(values.provider);
  const action = actionOption(values.action);
  const choices = chooseAccounts(db, values.account ?? [], provider);
  const accounts = existingAccounts(db, provider);
  const bytes = await readList(file);
  // References are read only as providers that have an account (and only as --provider's, if given).
  const held = new Set(accounts.map((account) => account.provider));
  const providers = PROVIDER_IDS.filter((id) => held.has(id) && (!provider || id === provider));
  const column = typeof values.column === 'string' ? { typed: values.column } : undefined;
  const plan = planImport(await readFile(bytes, typeof values.sheet === 'string' ? values.sheet : undefined), {
    providers,
    withAccounts: [...held],
    action,
    ...(column ? { column } : {}),
  });
  if (plan.column.index < 0 && plan.entries.length === 0) throw noColumn(plan);
  const routing = routeEntries(plan, accounts, choices, action);
  if (typeof values.rejected === 'string') await saveRejected(values.rejected, routing.rejected);
  checkRouting(routing, plan.hints);
  // Asked before queueing, as the app's preview does: the new batch's own items are not done yet anyway.
  const alreadyDone = alreadySucceeded(db, plan.entries);
  const queued = queueRouted(db, plan, routing, {
    sourceName: file === '-' ? null : file,
    action,
    accounts: choices,
    ...batchOrigin(),
    now: Date.now(),
  });
  printQueued(out, queued, accounts, alreadyDone, plan);
  return EXIT.done;
}

/** No column holds references: every column with what it holds on stderr, and the sentence that refuses the list. */
function noColumn(plan: ImportPlan): AppError {
  for (const candidate of plan.candidates) {
    process.stderr.write(`  column ${candidate.index + 1} ${candidate.name ?? ''}: ${candidate.looksLike}\n`);
  }
  for (const line of [...plan.notes, ...plan.hints]) process.stderr.write(`  ${line}\n`);
  const found = `${plan.column.reason.split('. ')[0] ?? ''}.`;
  return new AppError('bad_input', `${found} Choose one with --column NAME|NUMBER, or name it "Reference".`);
}

/** --rejected FILE: the rejected rows as CSV, written even when nothing can be queued. */
async function saveRejected(file: string, rows: readonly RejectedRow[]): Promise<void> {
  try {
    await writeFile(file, rejectedRowsCsv(rows), 'utf8');
  } catch (error) {
    throw new AppError('bad_input', `The rejected rows cannot be written to ${file}: ${fileSystemReason(error)}.`);
  }
}

/** Every account, refused when there is none (or none of --provider's) to import into. */
function existingAccounts(db: Db, provider: ProviderId | undefined): Account[] {
  const accounts = listAccounts(db);
  if (accounts.length === 0) {
    throw new AppError('bad_input', 'No account exists yet. Add one with: bulk-cancel account add --provider ID --name NAME.');
  }
  if (provider && !accounts.some((account) => account.provider === provider)) {
    throw new AppError(
      'bad_input',
      `No ${provider} account exists yet. Add one with: bulk-cancel account add --provider ${provider} --name NAME.`,
    );
  }
  return accounts;
}

/** The list's bytes, from FILE or (`-`) stdin; a file that cannot be read is bad input, with the system's reason. */
async function readList(file: string): Promise<Uint8Array> {
  try {
    return await readInput(file);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('bad_input', `The file ${file} cannot be read: ${fileSystemReason(error)}.`);
  }
}

/** What was queued, where each account's items go, and what the clerk should know before sending. */
function printQueued(
  out: Output,
  queued: QueuedImport,
  accounts: readonly Account[],
  alreadyDone: AlreadyDone,
  plan: ImportPlan,
): void {
  const routes = queued.routes.map((route) => ({
    account: route.accountName,
    provider: route.provider,
    action: route.action,
    items: route.items,
  }));
  const withoutIntegration = queued.routes.filter(
    (route) =>
      route.provider === 'sendcloud' &&
      route.action === 'cancel' &&
      accounts.find((account) => account.id === route.accountId)?.settings.integrationId === undefined,
  );
  out.result(
    {
      batchId: queued.batchId,
      items: queued.items,
      duplicates: queued.duplicates,
      rejected: queued.rejected,
      routes,
      // Only when there is something to say, so the document stays as it was for every other list.
      ...(alreadyDone.total > 0 ? { alreadyDone } : {}),
      column: {
        number: plan.column.index < 0 ? null : plan.column.index + 1,
        name: plan.column.name,
        reason: plan.column.reason,
      },
      sheet: plan.sheet,
      candidates: plan.candidates.map(({ index, ...candidate }) => ({ number: index + 1, ...candidate })),
      duplicateRows: plan.duplicateRows,
      hints: plan.hints,
    },
    () => [
      `Queued batch ${queued.batchId}: ${queued.items} item(s); ${queued.duplicates} duplicate(s) collapsed; ${queued.rejected.length} row(s) rejected.`,
      `  Column: ${plan.column.reason}`,
      ...routes.map(
        (route) =>
          `  ${route.items} item(s) for account "${route.account}" (${PROVIDER_LABELS[route.provider]}): ${actionDescription(route.action, route.provider)}.`,
      ),
      ...withoutIntegration.map(
        (route) =>
          `  Note: account "${route.accountName}" has no integration id, so its items cannot be removed from an integration; remove the account and add it again with --integration-id.`,
      ),
      ...queued.rejected.map((r) => `  row ${r.row}: ${r.error}`),
      ...plan.duplicateRows.map((d) => `  row ${d.row}: ${d.reference} repeats row ${d.firstRow}; sent once.`),
      ...plan.hints.map((hint) => `  Hint: ${hint}`),
      ...alreadyDoneLines(alreadyDone),
      `Send it with: bulk-cancel run --batch ${queued.batchId}`,
    ],
  );
}

/** The warning for references already cancelled in an earlier batch, if any. */
function alreadyDoneLines(alreadyDone: AlreadyDone): string[] {
  if (alreadyDone.total === 0) return [];
  return [
    `  Warning: ${alreadyDone.total} reference(s) in this list were already cancelled in an earlier batch; they are sent again.`,
    ...alreadyDone.items.map((done) => `  row ${done.row}: ${done.reference} was already cancelled in batch ${done.batchId}.`),
    ...(alreadyDone.total > alreadyDone.items.length ? [`  … and ${alreadyDone.total - alreadyDone.items.length} more.`] : []),
  ];
}
