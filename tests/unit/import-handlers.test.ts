/**
 * The import area's handlers (electron/core/handlers/import.ts) through the contract: a list is read
 * once for its preview and kept as a draft; confirm queues the draft by its id alone, once; and
 * neither needs an account's key, so the keychain is never asked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportPreview, TimeLeft } from '../../shared/contract';
import { withSessionFallback } from '../../electron/core/credentials/session';
import type { CredentialStore } from '../../electron/core/credentials/store';
import { dispatch } from '../../electron/core/dispatch';
import { MAX_DRAFTS } from '../../electron/core/handlers/import-drafts';
import { createService, type AppService } from '../../electron/core/service';
import { testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';
import { ref } from './helpers';

/** A store that keeps what it is given but refuses every read, as a locked keychain would. */
function unreadableStore(): CredentialStore & { reads: number } {
  const saved = new Map<string, string>();
  const store = {
    reads: 0,
    async get(): Promise<string | null> {
      store.reads++;
      throw new Error('the keychain must not be read here');
    },
    async set(id: string, secret: string) {
      saved.set(id, secret);
    },
    async delete(id: string) {
      return saved.delete(id);
    },
  };
  return store;
}

let world: TestWorld;
let keys: ReturnType<typeof unreadableStore>;
let service: AppService;

beforeEach(() => {
  world = testWorld();
  keys = unreadableStore();
  service = createService({
    db: world.db,
    credentials: withSessionFallback(keys),
    transport: TRANSPORTS.undici,
    owner: 'import-test',
  });
});
afterEach(async () => {
  await service.close();
  await world.close();
});

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const reply = await dispatch(service.handlers, channel, payload);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value as T;
}

async function refusal(channel: string, payload: unknown) {
  const reply = await dispatch(service.handlers, channel, payload);
  if (reply.ok) throw new Error(`${channel} was accepted`);
  return reply.error;
}

const batches = async () => (await call<{ total: number }>('history.list', {})).total;

function pasted(refs: string[]) {
  return { source: { kind: 'text', fileName: null, text: refs.join('\n') } };
}

describe('import: one trip per fact', () => {
  beforeEach(async () => {
    await call('accounts.add', { provider: 'electio', name: 'Electio main', baseUrl: 'http://127.0.0.1:9', secret: 'k1' });
    await call('accounts.add', { provider: 'electio', name: 'Electio spare', baseUrl: 'http://127.0.0.1:9', secret: 'k2' });
    keys.reads = 0; // adding answers with hasSecret, which reads the key: only what follows counts
  });

  it('previews without reading any key: the accounts to choose from come from the database', async () => {
    const preview = await call<ImportPreview>('import.preview', pasted([ref(1), ref(2)]));
    expect(preview.items).toBe(2);
    expect(preview.groups).toEqual([
      expect.objectContaining({
        provider: 'electio',
        accounts: [expect.objectContaining({ name: 'Electio main' }), expect.objectContaining({ name: 'Electio spare' })],
      }),
    ]);
    expect(preview.groups[0]?.accounts[0]).not.toHaveProperty('hasSecret');
    expect(keys.reads).toBe(0);
  });

  it('confirm queues the draft by its id alone, once; a second confirm of it is refused and queues nothing', async () => {
    const { draftId, groups } = await call<ImportPreview>('import.preview', pasted([ref(1), ref(2), ref(2)]));
    const spare = groups[0]?.accounts.find((account) => account.name === 'Electio spare');
    const created = await call<{ items: number; duplicates: number; routes: { accountName: string }[] }>('import.confirm', {
      draftId,
      accounts: { electio: spare?.id },
    });
    expect(created).toMatchObject({ items: 2, duplicates: 1, routes: [{ accountName: 'Electio spare' }] });
    expect(await refusal('import.confirm', { draftId, accounts: { electio: spare?.id } })).toEqual({
      code: 'not_found',
      message: 'This preview has expired; check the list again.',
    });
    expect(await batches()).toBe(1);
    expect(keys.reads).toBe(0);
  });

  it('estimates a list before it is confirmed: each account at its own pace, the slowest lane the answer', async () => {
    await call('accounts.add', {
      provider: 'sendcloud',
      name: 'Shop',
      baseUrl: 'http://127.0.0.1:9',
      secret: 'public:secret',
      settings: { integrationId: 7, authKind: 'basic' },
    });
    const uuids = Array.from({ length: 250 }, (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
    const { draftId, groups } = await call<ImportPreview>('import.preview', pasted([ref(1), ref(2), ...uuids]));
    // Two Electio accounts and none chosen yet: no estimate until the clerk chooses.
    expect(await call('import.estimate', { draftId, accounts: {} })).toBeNull();
    const main = groups.find((group) => group.provider === 'electio')?.accounts[0]?.id;
    const before = Date.now();
    const estimate = await call<TimeLeft>('import.estimate', { draftId, accounts: { electio: main } });
    // Sendcloud sends one shipment a request, 100 requests a minute: 250 take 150 s. Electio's two go in one list.
    expect(estimate.lanes).toEqual([
      { accountName: 'Electio main', provider: 'electio', waiting: 2, seconds: 0.01 },
      { accountName: 'Shop', provider: 'sendcloud', waiting: 250, seconds: 150 },
    ]);
    expect(estimate.seconds).toBe(150);
    expect(Date.parse(estimate.doneBy) - before).toBeGreaterThanOrEqual(150_000);
    expect(await batches()).toBe(0);
  });

  it('refuses a confirm of a draft it never made, and queues nothing', async () => {
    expect((await refusal('import.confirm', { draftId: 'made-up', accounts: {} })).message).toBe(
      'This preview has expired; check the list again.',
    );
    expect(await batches()).toBe(0);
  });

  it('a list checked again (another action) is a new draft that replaces the old one', async () => {
    const first = await call<ImportPreview>('import.preview', pasted([ref(1)]));
    const again = await call<ImportPreview>('import.preview', { draftId: first.draftId, action: 'cancel-and-delete' });
    expect(again.draftId).not.toBe(first.draftId);
    expect(again.items).toBe(1);
    expect((await refusal('import.confirm', { draftId: first.draftId, accounts: {} })).code).toBe('not_found');
    const choice = { electio: again.groups[0]?.accounts[0]?.id };
    expect(await call('import.confirm', { draftId: again.draftId, accounts: choice })).toMatchObject({ items: 1 });
  });

  it(`keeps only the ${MAX_DRAFTS} newest drafts`, async () => {
    const drafts: string[] = [];
    for (let n = 0; n <= MAX_DRAFTS; n++) drafts.push((await call<ImportPreview>('import.preview', pasted([ref(n)]))).draftId);
    expect((await refusal('import.confirm', { draftId: drafts[0], accounts: {} })).code).toBe('not_found');
    expect((await refusal('import.confirm', { draftId: drafts[MAX_DRAFTS], accounts: {} })).message).toMatch(/choose which one/);
  });

  it('a draft made before the accounts changed provider is refused at confirm, to be checked again', async () => {
    const { draftId } = await call<ImportPreview>('import.preview', pasted([ref(1)]));
    await call('accounts.add', { provider: 'sorted-pro', name: 'Sorted', baseUrl: 'http://127.0.0.1:9', secret: 'k3' });
    expect(await refusal('import.confirm', { draftId, accounts: {} })).toEqual({
      code: 'conflict',
      message: 'The accounts changed since this preview; check the list again.',
    });
    expect(await batches()).toBe(0);
  });

  it('a file crosses as bytes, and another sheet is not needed to check it again', async () => {
    const bytes = new TextEncoder().encode(['Reference', ref(1), ref(2)].join('\r\n'));
    const preview = await call<ImportPreview>('import.preview', { source: { kind: 'bytes', fileName: 'list.csv', bytes } });
    expect(preview).toMatchObject({ fileName: 'list.csv', items: 2, hasHeader: true, sheet: null });
    const again = await call<ImportPreview>('import.preview', { draftId: preview.draftId });
    expect(again).toMatchObject({ fileName: 'list.csv', items: 2 });
  });
});
