import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, listAccounts, removeAccount, updateAccount, viewAccount } from '../../electron/core/accounts';
import { withSessionFallback } from '../../electron/core/credentials/session';
import type { CredentialStore } from '../../electron/core/credentials/store';
import { openDatabase, type Db } from '../../electron/core/db/open';
import { tempDir } from '../support/fixtures';

/** The keychain is an edge here (the integration tests use the real one): a map stands in for it. */
function keychain(): CredentialStore & { secrets: Map<string, string> } {
  const secrets = new Map<string, string>();
  return {
    secrets,
    get: async (id) => secrets.get(id) ?? null,
    set: async (id, secret) => void secrets.set(id, secret),
    delete: async (id) => secrets.delete(id),
  };
}

let dir: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  dir = tempDir();
  db = openDatabase(dir.path);
});
afterEach(() => {
  db.close();
  dir.remove();
});

describe('accounts', () => {
  it('several per provider, names unique ignoring case; the default base URL per provider', async () => {
    const store = keychain();
    const a = await addAccount(db, store, { provider: 'sorted-pro', name: 'North', secret: 'k1' }, 1);
    await addAccount(db, store, { provider: 'sorted-pro', name: 'South', secret: 'k2' }, 1);
    expect(a.baseUrl).toBe('https://api.sorted.com/pro');
    await expect(addAccount(db, store, { provider: 'electio', name: ' north ', secret: 'k3' }, 1)).rejects.toThrow(
      /already exists/,
    );
    expect(listAccounts(db).map((x) => x.name)).toEqual(['North', 'South']);
    expect(store.secrets.get(a.id)).toBe('k1');
    expect(JSON.stringify(db.prepare('SELECT * FROM accounts').all())).not.toContain('k1');
  });

  it('Sendcloud: integration id, auth kind, token URL; the key must be PUBLIC:SECRET; others refuse Sendcloud fields', async () => {
    const store = keychain();
    const sc = await addAccount(
      db,
      store,
      {
        provider: 'sendcloud',
        name: 'Shop',
        secret: 'pub:sec',
        settings: { integrationId: 12, authKind: 'oauth2', tokenUrl: 'https://account.sendcloud.com/oauth2/token/' },
      },
      1,
    );
    expect(sc.settings).toEqual({
      integrationId: 12,
      authKind: 'oauth2',
      tokenUrl: 'https://account.sendcloud.com/oauth2/token/',
    });
    expect(sc.baseUrl).toBe('https://panel.sendcloud.sc');
    expect((await viewAccount(sc, store)).ratePerMinute).toBe(100);
    await expect(addAccount(db, store, { provider: 'sendcloud', name: 'Bad', secret: 'no-colon' }, 1)).rejects.toThrow(
      /PUBLIC_KEY:SECRET_KEY/,
    );
    await expect(
      addAccount(db, store, { provider: 'electio', name: 'E', secret: 'k', settings: { integrationId: 3 } }, 1),
    ).rejects.toThrow(/Sendcloud settings/);
    await expect(
      addAccount(
        db,
        store,
        { provider: 'sendcloud', name: 'T', secret: 'a:b', settings: { tokenUrl: 'http://evil.example/token' } },
        1,
      ),
    ).rejects.toThrow(/https/);
  });

  it('edit and rename keep the key unless a new one is given', async () => {
    const store = keychain();
    const a = await addAccount(db, store, { provider: 'electio', name: 'Old', secret: 'k1' }, 1);
    const renamed = await updateAccount(db, store, a.id, { name: 'New', settings: { ratePerMinute: 30 } }, 2);
    expect(renamed).toMatchObject({ name: 'New', settings: { ratePerMinute: 30 } });
    expect(store.secrets.get(a.id)).toBe('k1');
    await updateAccount(db, store, a.id, { secret: 'k2\r\n' }, 3);
    expect(store.secrets.get(a.id)).toBe('k2');
  });

  it('remove deletes the secret and keeps the name for history; refused while items wait', async () => {
    const store = keychain();
    const a = await addAccount(db, store, { provider: 'electio', name: 'Gone', secret: 'k1' }, 1);
    db.prepare("INSERT INTO batches (id, action, created_at) VALUES ('b', 'cancel', 0)").run();
    db.prepare(
      "INSERT INTO items (batch_key, seq, reference, provider, account_key, action, state, created_at) SELECT b.key, 0, 'EC-000-05D-1NS', 'electio', a.key, 'cancel', 'queued', 0 FROM batches b, accounts a WHERE b.id = 'b' AND a.id = ?",
    ).run(a.id);
    await expect(removeAccount(db, store, a.id, 2)).rejects.toThrow(/still has 1 cancellation/);
    db.prepare("UPDATE items SET state = 'succeeded'").run();
    await removeAccount(db, store, a.id, 3);
    expect(store.secrets.has(a.id)).toBe(false);
    expect(listAccounts(db)).toEqual([]);
    expect(db.prepare('SELECT name FROM accounts WHERE id = ?').get(a.id)).toEqual({ name: 'Gone' });
    // The name is free again for a new account.
    await addAccount(db, store, { provider: 'electio', name: 'Gone', secret: 'k9' }, 4);
  });

  it('keeps a key in memory only when asked, and says so', async () => {
    const sessions = withSessionFallback(keychain());
    const a = await addAccount(db, sessions, { provider: 'electio', name: 'Mem', secret: 'k1', keepInMemory: true }, 1);
    expect(await viewAccount(a, sessions)).toMatchObject({ hasSecret: true, secretInMemory: true });
  });
});
