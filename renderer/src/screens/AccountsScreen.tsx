/**
 * Accounts: the carrier-management accounts cancellations go through, and a form to add one.
 * The API key is write-only: it goes straight to main (and the OS keychain) and is never shown again.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { AccountView } from '../../../shared/contract';
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../../../shared/domain';
import { call, messageOf } from '../api';

const DEFAULT_BASE_URLS: Record<string, string> = { electio: 'https://api.electioapp.com' };

interface Props {
  onImport: () => void;
}

export function AccountsScreen({ onImport }: Props) {
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('accounts.list', {})
      .then((found) => live && setAccounts(found))
      .catch((error: unknown) => live && setListError(messageOf(error)));
    return () => {
      live = false;
    };
  }, []);

  function added(account: AccountView) {
    setAccounts((current) => [...(current ?? []).filter((a) => a.id !== account.id), account]);
  }

  return (
    <section className="screen" aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <p className="lead">Cancellations are sent through one of these accounts. Keys are kept in the system keychain.</p>

      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {accounts === null && !listError && <p className="muted">Loading accounts…</p>}
      {accounts !== null && <AccountList accounts={accounts} onImport={onImport} />}

      <AddAccountForm onAdded={added} />
    </section>
  );
}

function AccountList({ accounts, onImport }: { accounts: AccountView[]; onImport: () => void }) {
  return (
    <div className="panel">
      <h2>Saved accounts</h2>
      <ul className="account-list" data-testid="accounts-list">
        {accounts.map((account) => (
          <li key={account.id} className="account-item">
            <div>
              <div className="account-name">{account.name}</div>
              <div className="muted small">
                {PROVIDER_LABELS[account.provider]} · {account.baseUrl}
              </div>
            </div>
            {account.hasSecret ? <span className="badge ok">Key saved</span> : <span className="badge warn">No key</span>}
          </li>
        ))}
        {accounts.length === 0 && <li className="muted">No accounts yet. Add your Electio account below.</li>}
      </ul>
      {accounts.length > 0 && (
        <button type="button" className="button" onClick={onImport}>
          Import a list of shipments
        </button>
      )}
    </div>
  );
}

function AddAccountForm({ onAdded }: { onAdded: (account: AccountView) => void }) {
  const [provider, setProvider] = useState<ProviderId>(PROVIDER_IDS[0]);
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(null);
    if (!name.trim()) return setError('Give the account a name, for example “Warehouse Electio”.');
    if (!secret) return setError('Enter the API key for this account.');
    setError(null);
    setSaving(true);
    try {
      const trimmedUrl = baseUrl.trim();
      const account = await call('accounts.add', {
        provider,
        name: name.trim(),
        secret,
        ...(trimmedUrl ? { baseUrl: trimmedUrl } : {}),
      });
      setSecret('');
      setName('');
      setBaseUrl('');
      setSaved(`Account “${account.name}” saved.`);
      onAdded(account);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="panel form" onSubmit={save} noValidate>
      <h2>Add an account</h2>
      <label className="field">
        <span>Provider</span>
        <select data-testid="account-provider" value={provider} onChange={(e) => setProvider(e.target.value as ProviderId)}>
          {PROVIDER_IDS.map((id) => (
            <option key={id} value={id}>
              {PROVIDER_LABELS[id]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Name</span>
        <input
          data-testid="account-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
          placeholder="Warehouse Electio"
          autoComplete="off"
        />
      </label>
      <label className="field">
        <span>
          Base URL <span className="muted">(optional)</span>
        </span>
        <input
          data-testid="account-base-url"
          type="url"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          placeholder={DEFAULT_BASE_URLS[provider] ?? ''}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <label className="field">
        <span>API key</span>
        <input
          data-testid="account-secret"
          type="password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          autoComplete="new-password"
          spellCheck={false}
        />
        <span className="hint">Stored in the system keychain. It is never shown again.</span>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" data-testid="account-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save account'}
        </button>
      </div>
    </form>
  );
}
