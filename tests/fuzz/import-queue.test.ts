/**
 * What the importer accepts is what gets queued, on a real SQLite file: a preview's references are
 * stored exactly (row, reference, provider, in order), and a refused file or a list without a valid
 * reference stores nothing at all. The database stays sound throughout.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, type Account } from '../../electron/core/accounts';
import { AppError } from '../../electron/core/errors';
import { planImport, queueImport, readFile, type AccountChoices } from '../../electron/core/import/source';
import { testWorld, type TestWorld } from '../support/fixtures';
import { csvText, noise, utf16, utf8 } from './arbitraries';
import { runs } from './runs';

let world: TestWorld;
let choices: AccountChoices;
beforeAll(async () => {
  world = testWorld();
  const add = (input: Parameters<typeof addAccount>[2]): Promise<Account> =>
    addAccount(world.db, world.credentials, input, Date.now());
  const accounts = await Promise.all([
    add({ provider: 'electio', name: 'Electio', secret: 'electio-key' }),
    add({ provider: 'sorted-pro', name: 'Sorted', secret: 'sorted-key' }),
    add({ provider: 'sendcloud', name: 'Shop', secret: 'public:secret', settings: { integrationId: 7, authKind: 'basic' } }),
  ]);
  choices = Object.fromEntries(accounts.map((account) => [account.provider, account.id]));
});
afterAll(() => world.close());

const count = (table: 'items' | 'batches') => (world.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

function expectSoundDatabase(): void {
  expect(world.db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(world.db.pragma('foreign_key_check')).toEqual([]);
}

describe('queueing what the importer accepted', () => {
  it('stores exactly the accepted references, and nothing for a refused file', async () => {
    const bytes = fc.oneof(
      csvText.map(utf8),
      csvText.map((text) => utf16(text, 'le')),
      fc.tuple(fc.integer(), fc.integer({ min: 0, max: 2048 })).map(([seed, length]) => noise(seed, length)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (data) => {
        const before = { items: count('items'), batches: count('batches') };
        let plan;
        try {
          plan = planImport(await readFile(data));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          expect({ items: count('items'), batches: count('batches') }).toEqual(before);
          return;
        }
        const request = { sourceName: 'fuzz.csv', action: 'cancel' as const, accounts: choices, createdBy: null, machine: null };
        if (plan.entries.length === 0) {
          expect(() => queueImport(world.db, plan, { ...request, now: Date.now() })).toThrow(AppError);
          expect({ items: count('items'), batches: count('batches') }).toEqual(before);
          return;
        }
        const queued = queueImport(world.db, plan, { ...request, now: Date.now() });
        const stored = world.db
          .prepare(
            'SELECT source_row AS row, reference, provider, state FROM items WHERE batch_key = (SELECT key FROM batches WHERE id = ?) ORDER BY seq',
          )
          .all(queued.batchId);
        expect(stored).toEqual(
          plan.entries.map(({ row, reference, provider }) => ({ row, reference, provider, state: 'queued' })),
        );
        expect(count('items')).toBe(before.items + plan.entries.length);
      }),
      runs(0.5),
    );
    expectSoundDatabase();
  });
});
