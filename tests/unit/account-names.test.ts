/**
 * Account names are compared one way everywhere, ignoring case in every script (not only ASCII)
 * and Unicode's several spellings of one letter: adding, renaming, `--account` lookups and the
 * `account` column of an imported list.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, findAccountByName, updateAccount } from '../../electron/core/accounts';
import { planImport, routeEntries } from '../../electron/core/import/source';
import { testWorld, type TestWorld } from '../support/fixtures';
import { ref } from './helpers';

let world: TestWorld;
beforeEach(() => {
  world = testWorld();
});
afterEach(async () => {
  await world.close();
});

const add = (name: string) =>
  addAccount(world.db, world.credentials, { provider: 'electio', name, secret: 'electio-key' }, Date.now());

/** `É` written as one code point and as `E` followed by a combining acute accent. */
const COMPOSED = '\u00c9A';
const DECOMPOSED = 'E\u0301A';

describe('account names', () => {
  it('refuses a second account whose name differs only in non-ASCII case or in its Unicode spelling', async () => {
    await add(COMPOSED);
    await expect(add('éA')).rejects.toThrow(/already exists/);
    await expect(add(DECOMPOSED)).rejects.toThrow(/already exists/);
    await add('Straße');
    await expect(add('STRASSE')).rejects.toThrow(/already exists/);
  });

  it('refuses a rename onto another account’s name in another case', async () => {
    await add(COMPOSED);
    const other = await add('Other');
    await expect(updateAccount(world.db, world.credentials, other.id, { name: ' éa ' }, Date.now())).rejects.toThrow(
      /already exists/,
    );
  });

  it('finds an account by its name in any case and spelling, as --account does', async () => {
    const account = await add(COMPOSED);
    for (const name of ['éa', 'ÉA', DECOMPOSED.toLowerCase(), ` ${COMPOSED} `]) {
      expect(findAccountByName(world.db, name)?.id, name).toBe(account.id);
    }
    expect(findAccountByName(world.db, 'EA')).toBeUndefined();
  });

  it('routes rows to the account their account column names, in any case and spelling', async () => {
    const accented = await add(COMPOSED);
    const plain = await add('EA');
    const list = ['reference,account', `${ref(1)},${DECOMPOSED.toLowerCase()}`, `${ref(2)},ea`, `${ref(3)},éa`].join('\n');
    const plan = planImport({ text: list, encoding: 'UTF-8', notes: [] });
    const routing = routeEntries(plan, [accented, plain], {}, 'cancel');
    expect(routing.rejected).toEqual([]);
    expect(routing.items.map((item) => item.accountId)).toEqual([accented.id, plain.id, accented.id]);
  });
});
