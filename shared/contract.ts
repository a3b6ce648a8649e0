/**
 * The one IPC contract between the renderer and the main process: every channel with its request
 * and response schema, the events main pushes, and the `{ ok, value | error }` envelope.
 * Main validates every request against these schemas; the renderer gets typed calls from them.
 * Longer than 300 lines on purpose: the whole contract is read in one place, as one table.
 */
import { z } from 'zod';
import { ACTIONS, ITEM_STATES, MAX_IMPORT_BYTES, PROVIDER_IDS, REASONS, RETRY_SCOPES } from './domain';
import { MAX_INTEGRATION_ID, MAX_RATE_PER_MINUTE } from './provider-defaults';

// The domain's words as schemas (tests/unit/contract-types.test.ts checks each gives its type in shared/domain.ts).
export const ProviderId = z.enum(PROVIDER_IDS);
export const Action = z.enum(ACTIONS);
export const ItemState = z.enum(ITEM_STATES);
export const Reason = z.enum(REASONS);
export const RetryScope = z.enum(RETRY_SCOPES);
export const ApiLink = z.object({ rel: z.string(), href: z.string() });
export const ResultRecord = z.object({
  Data: z.string(),
  IsSuccess: z.boolean(),
  Message: z.string(),
  ApiLinks: z.array(ApiLink).nullable(),
  Reason: Reason.nullable(),
  State: ItemState,
  Provider: ProviderId,
  Account: z.string(),
  Action,
  HttpStatus: z.number().int().nullable(),
  Attempts: z.number().int(),
  CompletedAt: z.string().nullable(),
});
export const StateCounts = z.record(ItemState, z.number().int());

/** The same limit for pasted text, in characters. */
export const MAX_IMPORT_TEXT = MAX_IMPORT_BYTES;

export const ErrorCode = z.enum([
  'invalid_request',
  'bad_input',
  'not_found',
  'conflict',
  'account_needs_attention',
  'keychain_unavailable',
  'database_unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorShape = z.object({ code: ErrorCode, message: z.string() });
export type AppErrorShape = z.infer<typeof AppErrorShape>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

const Id = z.string().min(1).max(100);

/**
 * An account's provider fields besides its base URL. None of them is secret. The one definition of
 * their limits: the contract checks requests with it, core checks every account it saves, and the
 * account form says the same limits before sending.
 */
export const AccountSettings = z
  .object({
    /** Sendcloud: the shop integration the seed's delete endpoint works on. */
    integrationId: z.number().int().positive().max(MAX_INTEGRATION_ID).optional(),
    /** Sendcloud: HTTP Basic (public + secret key) or OAuth2 client credentials. */
    authKind: z.enum(['basic', 'oauth2']).optional(),
    tokenUrl: z.string().max(2000).optional(),
    /** Requests per minute; the provider's default pace when not set. */
    ratePerMinute: z.number().int().min(1).max(MAX_RATE_PER_MINUTE).optional(),
    /** The most requests per minute the automatic pace may rise to; 10× the pace above when not set. */
    paceCeilingPerMinute: z.number().int().min(1).max(MAX_RATE_PER_MINUTE).optional(),
  })
  .strict();
export type AccountSettings = z.infer<typeof AccountSettings>;

export const AccountView = z.object({
  id: Id,
  name: z.string(),
  provider: ProviderId,
  baseUrl: z.string(),
  settings: AccountSettings,
  /** The pace actually used: the setting, or the provider's default. */
  ratePerMinute: z.number().int(),
  hasSecret: z.boolean(),
  /** The secret is kept in memory until the app quits, because no keychain was reachable. */
  secretInMemory: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;

const FileName = z.string().max(1000).nullable();
/** A workbook's sheet, by name. */
const SheetName = z.string().max(200);

/**
 * What the clerk gave, as it crosses IPC once for a preview: pasted text, or a file's own bytes
 * (structured clone carries them as they are; main detects the encoding or reads the workbook).
 */
/**
 * What a "check key" learnt from the carrier: it accepted the key, refused it (the message says why),
 * or its answer told neither (unreachable, a server error: the message says what happened).
 */
export const KeyCheckResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accepted') }),
  z.object({ kind: z.literal('refused'), message: z.string() }),
  z.object({ kind: z.literal('unknown'), message: z.string() }),
]);
export type KeyCheckResult = z.infer<typeof KeyCheckResult>;

export const ImportInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), fileName: FileName, text: z.string().max(MAX_IMPORT_TEXT) }),
  z.object({
    kind: z.literal('bytes'),
    fileName: FileName,
    bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_IMPORT_BYTES, 'The file is larger than 64 MiB'),
    /** For a workbook: the sheet to read (else the first). */
    sheet: SheetName.optional(),
  }),
]);
export type ImportInput = z.infer<typeof ImportInput>;

export const RejectedRow = z.object({ row: z.number().int(), value: z.string(), error: z.string() });
export type RejectedRow = z.infer<typeof RejectedRow>;

/** An account as a preview names it: enough to choose it, read from the database alone (no key). */
export const AccountRef = z.object({ id: Id, name: z.string(), provider: ProviderId });
export type AccountRef = z.infer<typeof AccountRef>;

/** A column of the list as the clerk may choose it: what it holds in the rows sampled. */
export const ColumnCandidate = z.object({
  /** 0-based. */
  index: z.number().int(),
  name: z.string().nullable(),
  /** Values that are valid references (for some provider, under the action). */
  valid: z.number().int(),
  /** Values that are not empty. */
  values: z.number().int(),
  /** What it holds, in a few words: "Sorted PRO references", `numbers like "4.66203E+18"`. */
  looksLike: z.string(),
});
export type ColumnCandidate = z.infer<typeof ColumnCandidate>;

export const ImportPreview = z.object({
  /** The checked list main keeps for a while: confirm queues it by this id, and "check again" reuses it. */
  draftId: Id,
  fileName: z.string().nullable(),
  encoding: z.string(),
  delimiter: z.string(),
  hasHeader: z.boolean(),
  /** The column read (index -1 when none holds references), and why it was chosen. */
  column: z.object({ index: z.number().int(), name: z.string().nullable(), reason: z.string() }),
  /** Every column with what it holds, best first: the clerk may choose another. */
  candidates: z.array(ColumnCandidate),
  items: z.number().int(),
  duplicates: z.number().int(),
  /** The rows collapsed into an earlier row with the same shipment (the first few hundred). */
  duplicateRows: z.array(z.object({ row: z.number().int(), reference: z.string(), firstRow: z.number().int() })),
  /** What the clerk could do about rejected rows, when the list shows it (another action, an account to add). */
  hints: z.array(z.string()),
  rejected: z.array(RejectedRow),
  rejectedTotal: z.number().int(),
  sample: z.array(z.object({ row: z.number().int(), reference: z.string() })),
  provider: ProviderId.nullable(),
  /** One group per provider found: how many items, how many name their own account, and its accounts. */
  groups: z.array(
    z.object({
      provider: ProviderId,
      items: z.number().int(),
      /** Items whose row names an account (an `account` column), by that name. */
      named: z.array(z.object({ accountName: z.string(), items: z.number().int() })),
      accounts: z.array(AccountRef),
    }),
  ),
  notes: z.array(z.string()),
  /** A workbook's sheets (empty for text): the clerk may pick another one. */
  sheets: z.array(z.string()),
  /** The sheet read (null for text). */
  sheet: z.string().nullable(),
  /** References already cancelled by an earlier batch: sending them again is usually a mistake. */
  alreadyDone: z.object({
    total: z.number().int(),
    items: z.array(z.object({ row: z.number().int(), reference: z.string(), batchId: Id, completedAt: z.string().nullable() })),
  }),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

/** Where a batch's items go: per account and action. */
export const Route = z.object({
  accountId: Id,
  accountName: z.string(),
  provider: ProviderId,
  action: Action,
  items: z.number().int(),
});
export type Route = z.infer<typeof Route>;

/** How long a sending batch still takes: its slowest account lane's time, and each lane's. */
export const TimeLeft = z.object({
  seconds: z.number().min(0),
  /** When the batch is done at this speed (ISO 8601). */
  doneBy: z.string(),
  lanes: z.array(
    z.object({ accountName: z.string(), provider: ProviderId, waiting: z.number().int(), seconds: z.number().min(0) }),
  ),
});
export type TimeLeft = z.infer<typeof TimeLeft>;

export const BatchSummary = z.object({
  id: Id,
  sourceName: z.string().nullable(),
  action: Action,
  createdAt: z.string(),
  total: z.number().int(),
  counts: StateCounts,
  running: z.boolean(),
  paused: z.boolean(),
  /** Accounts that cannot reach their provider right now; their items wait without spending attempts. */
  offline: z.array(z.object({ accountName: z.string(), since: z.string(), message: z.string() })),
  /** Accounts whose key is missing or was refused: their items wait for the clerk to fix it. */
  attention: z.array(z.object({ accountName: z.string(), message: z.string() })),
  /** Why sending stopped, when it stopped on its own (e.g. the disk is full). */
  problem: z.string().nullable(),
  /** Requests to providers under way right now (a list of 100 Electio items is one). */
  requestsInFlight: z.number().int(),
  /** While it sends: how long it still takes, per account lane; null while not sending or not known yet. */
  timeLeft: TimeLeft.nullable(),
  /** The automatic pace of each account sending this batch's items: requests a minute, and why it is that. */
  paces: z.array(z.object({ accountName: z.string(), perMinute: z.number().int(), reason: z.string(), since: z.string() })),
});
export type BatchSummary = z.infer<typeof BatchSummary>;

export const AttemptView = z.object({
  startedAt: z.string(),
  durationMs: z.number().int(),
  endpoint: z.string(),
  httpStatus: z.number().int().nullable(),
  outcome: z.string(),
  reason: Reason.nullable(),
  message: z.string(),
});
export type AttemptView = z.infer<typeof AttemptView>;

export const ResultRow = ResultRecord.extend({ id: z.number().int() });

/** Most result rows one `results.page` answer carries; the table asks for far fewer at a time. */
export const MAX_RESULTS_PAGE = 10_000;
/** Most row ids one selection may name (Ctrl+A in the largest batch). */
const MAX_RESULT_IDS = 1_000_000;

/** What the clerk filtered the results table by; exports use the same filter. */
export const ResultFilter = z
  .object({
    states: z.array(ItemState).max(ITEM_STATES.length).optional(),
    reasons: z.array(Reason).max(REASONS.length).optional(),
    providers: z.array(ProviderId).max(PROVIDER_IDS.length).optional(),
    accounts: z.array(z.string().max(100)).max(1000).optional(),
    /** Free text, matched case-insensitively in the reference, message and account. */
    search: z.string().max(200).optional(),
    /** Exactly these references (a list pasted into the search box). */
    references: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    /** Only these rows (the clerk's selection, when copying it). */
    ids: z.array(z.number().int().positive()).max(MAX_RESULT_IDS).optional(),
  })
  .strict();
export type ResultFilter = z.infer<typeof ResultFilter>;

const RESULT_SORT_KEYS = [
  'reference',
  'provider',
  'account',
  'result',
  'reason',
  'message',
  'http',
  'attempts',
  'completed',
] as const;
/** The column the results table is sorted by; without one, import order. Empty values come last either way. */
export const ResultSort = z.object({ key: z.enum(RESULT_SORT_KEYS), direction: z.enum(['ascending', 'descending']) }).strict();
export type ResultSort = z.infer<typeof ResultSort>;

/** A window of a batch's results as filtered and sorted on screen. */
const ResultWindow = {
  batchId: Id,
  filter: ResultFilter.optional(),
  sort: ResultSort.optional(),
  offset: z.number().int().min(0).max(MAX_RESULT_IDS),
};

/** A batch's results at a glance, counted in the database: items per state and reason, and the accounts used. */
export const ResultsOverview = z.object({
  total: z.number().int(),
  outcomes: z.array(z.object({ state: ItemState, reason: Reason.nullable(), count: z.number().int() })),
  accounts: z.array(z.string()),
});
export type ResultsOverview = z.infer<typeof ResultsOverview>;

export const HistoryBatch = z.object({
  id: Id,
  sourceName: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  machine: z.string().nullable(),
  accounts: z.array(z.string()),
  action: Action,
  total: z.number().int(),
  counts: StateCounts,
  /** `sending`: items being sent or waiting; `paused`; `finished`: every item final. */
  state: z.enum(['sending', 'paused', 'finished']),
});
export type HistoryBatch = z.infer<typeof HistoryBatch>;

export const ReferenceHit = z.object({
  batchId: Id,
  sourceName: z.string().nullable(),
  createdAt: z.string(),
  itemId: z.number().int(),
  reference: z.string(),
  provider: ProviderId,
  account: z.string(),
  state: ItemState,
  reason: Reason.nullable(),
  message: z.string(),
  completedAt: z.string().nullable(),
});
export type ReferenceHit = z.infer<typeof ReferenceHit>;
export type ResultRow = z.infer<typeof ResultRow>;

export const ImportCreated = z.object({
  batchId: Id,
  items: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  routes: z.array(Route),
});
export type ImportCreated = z.infer<typeof ImportCreated>;

const Empty = z.object({}).strict();

const AccountName = z.string().trim().min(1).max(100);
const BaseUrl = z.string().max(2000);
const Secret = z.string().min(1).max(10_000);
/** The account chosen per provider for rows that do not name one. */
const AccountChoices = z.partialRecord(ProviderId, Id);

/** Every channel: the request the renderer sends and the value main answers with. */
export const channels = {
  'accounts.list': { request: Empty, response: z.array(AccountView) },
  'accounts.add': {
    request: z
      .object({
        provider: ProviderId,
        name: AccountName,
        baseUrl: BaseUrl.optional(),
        settings: AccountSettings.optional(),
        secret: Secret,
        /** The clerk agreed to keep the secret in memory until the app quits (no keychain reachable). */
        keepInMemory: z.boolean().optional(),
      })
      .strict(),
    response: AccountView,
  },
  'accounts.update': {
    request: z
      .object({
        id: Id,
        name: AccountName.optional(),
        baseUrl: BaseUrl.optional(),
        settings: AccountSettings.optional(),
        /** A new secret replaces the stored one; leaving it out keeps it. */
        secret: Secret.optional(),
        keepInMemory: z.boolean().optional(),
      })
      .strict(),
    response: AccountView,
  },
  'accounts.remove': { request: z.object({ id: Id }).strict(), response: z.object({ removed: z.literal(true) }) },
  /** Reads, with the account's saved key, a shipment that does not exist: nothing changes at the carrier. */
  'accounts.checkKey': { request: z.object({ accountId: Id }).strict(), response: KeyCheckResult },
  /**
   * Reads a list and answers what it would become, with the id of the draft main keeps of it. Nothing
   * is queued. A draft is checked again (another sheet or action, or accounts changed) by its id:
   * the list does not cross again, and the new draft replaces it.
   */
  'import.preview': {
    request: z.union([
      z.object({ source: ImportInput, action: Action.optional() }).strict(),
      z
        .object({
          draftId: Id,
          sheet: SheetName.optional(),
          action: Action.optional(),
          /** The column to read references from, 0-based (else the one whose values are references). */
          column: z.number().int().min(0).max(100_000).optional(),
        })
        .strict(),
    ]),
    response: ImportPreview,
  },
  /** Writes a previewed list's rejected rows (row, value, reason) to a CSV file the clerk chooses. */
  'import.saveRejected': {
    request: z.object({ draftId: Id }).strict(),
    /** `path` is null when the clerk cancelled the save dialog. */
    response: z.object({ path: z.string().nullable(), rows: z.number().int() }),
  },
  /**
   * How long a previewed list would take with these account choices, each account at its pace: the
   * estimate shown before confirming. Null while an account is still to be chosen, or with no pace.
   */
  'import.estimate': {
    request: z.object({ draftId: Id, accounts: AccountChoices }).strict(),
    response: TimeLeft.nullable(),
  },
  /** Queues a previewed list as a new batch, once: the draft is gone afterwards. */
  'import.confirm': {
    request: z.object({ draftId: Id, accounts: AccountChoices }).strict(),
    response: ImportCreated,
  },
  'batch.start': { request: z.object({ batchId: Id }).strict(), response: BatchSummary },
  'batch.summary': { request: z.object({ batchId: Id }).strict(), response: BatchSummary },
  /** Stops claiming new items; those in flight finish. */
  'batch.pause': { request: z.object({ batchId: Id }).strict(), response: BatchSummary },
  'batch.resume': { request: z.object({ batchId: Id }).strict(), response: BatchSummary },
  /** What has not been sent is never sent: those items end `stopped`. */
  'batch.stop': { request: z.object({ batchId: Id }).strict(), response: BatchSummary },
  /** Failed items get a new round of attempts in the same batch: all of them (the default), or those that may still work. */
  'batch.retryFailed': { request: z.object({ batchId: Id, scope: RetryScope.optional() }).strict(), response: BatchSummary },
  'item.attempts': { request: z.object({ itemId: z.number().int().positive() }).strict(), response: z.array(AttemptView) },
  /** Counts per state and reason (for the summary and the chart) and the accounts (for the filter). */
  'results.overview': { request: z.object({ batchId: Id }).strict(), response: ResultsOverview },
  /** The rows from `offset` (at most `limit`) and how many rows the filter selects in all. */
  'results.page': {
    request: z.object({ ...ResultWindow, limit: z.number().int().min(1).max(MAX_RESULTS_PAGE) }).strict(),
    response: z.object({ rows: z.array(ResultRow), total: z.number().int() }),
  },
  /** The row ids from `offset` (at most `limit`), for selecting ranges and every row shown. */
  'results.ids': {
    request: z.object({ ...ResultWindow, limit: z.number().int().min(1).max(MAX_RESULT_IDS) }).strict(),
    response: z.array(z.number().int()),
  },
  /** Writes the batch's results (all, or as filtered on screen) to a file the clerk chooses. */
  'results.export': {
    request: z.object({ batchId: Id, format: z.enum(['csv', 'json']), filter: ResultFilter.optional() }).strict(),
    /** `path` is null when the clerk cancelled the save dialog. */
    response: z.object({ path: z.string().nullable(), items: z.number().int() }),
  },
  /** Past batches, newest first; `reference` finds the batches that hold a reference (exact, or as a prefix). */
  'history.list': {
    request: z
      .object({
        reference: z.string().trim().max(200).optional(),
        limit: z.number().int().min(1).max(500).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
    response: z.object({ batches: z.array(HistoryBatch), total: z.number().int() }),
  },
  /** Where a reference went, across every batch: "was shipment X cancelled, when, in which batch, by which account?" */
  'history.findReference': {
    request: z.object({ reference: z.string().trim().min(1).max(200) }).strict(),
    response: z.array(ReferenceHit),
  },
  /** Deletes a finished batch's history (refused while any of its items wait or are being sent). */
  'batch.delete': { request: z.object({ batchId: Id }).strict(), response: z.object({ deleted: z.literal(true) }) },
  /**
   * "Copy diagnostics for support": main puts a support text (versions, folders, counts, accounts by
   * name and kind of credential, the last log lines; never a secret) on the clipboard itself.
   */
  'app.diagnostics': { request: Empty, response: z.object({ copied: z.literal(true) }) },
  /** What the window remembers between runs (the last screen). */
  'ui.state': {
    request: z.object({ lastScreen: z.string().max(40).optional() }).strict(),
    response: z.object({ lastScreen: z.string().nullable() }),
  },
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type Request<C extends Channel> = z.input<Channels[C]['request']>;
export type Response<C extends Channel> = z.output<Channels[C]['response']>;

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];
export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/** Events main pushes to the renderer. */
export const events = {
  'batch.progress': BatchSummary,
  /** A batch has no item left to send (every item final): the app may tell the clerk. */
  'batch.finished': BatchSummary,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc';

/** What the preload script exposes as `window.bulkCancel`, and nothing more. */
export interface Bridge {
  invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
