/**
 * Accounts: the provider accounts cancellations go through, grouped by provider, with a form to add
 * one or edit one, a way to remove one, and "Check key" with the carrier. Keys are write-only: they go
 * straight to main (and the OS keychain) and are never shown again; editing with the key fields blank
 * keeps the saved key.
 */
import { useEffect, useRef, useState } from 'react';
import type { AccountView } from '../../../shared/contract';
import { PROVIDER_IDS, PROVIDER_LABELS } from '../../../shared/domain';
import { call, messageOf } from '../api';
import { AccountForm } from '../components/AccountForm';
import { KeyCheckButton, KeyCheckResultLine, useKeyCheck } from '../components/KeyCheck';
import { SupportPanel } from '../components/SupportPanel';
import { providerName } from '../format';
import { SENDCLOUD_ACTIONS_SENTENCE } from '../providers';

interface Props {
  onImport: () => void;
}

export function AccountsScreen({ onImport }: Props) {
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [editing, setEditing] = useState<AccountView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const formRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    call('accounts.list', {})
      .then((found) => live && setAccounts(found))
      .catch((error: unknown) => live && setListError(messageOf(error)));
    return () => {
      live = false;
    };
  }, []);

  function saved(account: AccountView) {
    setAccounts((current) => {
      const list = current ?? [];
      return list.some((a) => a.id === account.id) ? list.map((a) => (a.id === account.id ? account : a)) : [...list, account];
    });
    setEditing(null);
    const where = account.secretInMemory ? ' Its key is kept in memory until Bulk Cancel quits.' : '';
    setNotice(`Account “${account.name}” saved.${where}`);
  }

  function removed(id: string) {
    setAccounts((current) => (current ?? []).filter((a) => a.id !== id));
    if (editing?.id === id) setEditing(null);
  }

  function edit(account: AccountView) {
    setEditing(account);
    setNotice(null);
    // The form sits below the list: bring it into view and put the cursor in its first field.
    requestAnimationFrame(() => {
      formRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      formRef.current?.querySelector<HTMLInputElement>('[data-testid="account-name"]')?.focus();
    });
  }

  return (
    <section className="screen" aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <p className="lead">
        Cancellations are sent through these accounts: Electio, Sorted PRO and Sendcloud, several of each if you need. Keys are
        kept in the system keychain and never shown again.
      </p>

      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {accounts === null && !listError && <p className="muted">Loading accounts…</p>}
      {accounts !== null && (
        <AccountList accounts={accounts} editingId={editing?.id ?? null} onEdit={edit} onRemoved={removed} onImport={onImport} />
      )}

      <div ref={formRef} className="account-form-wrap">
        <AccountForm
          key={editing?.id ?? 'new'}
          editing={editing}
          onSaved={saved}
          onDiscard={() => setEditing(null)}
          notice={notice}
          onClearNotice={() => setNotice(null)}
        />
      </div>

      <SupportPanel />
    </section>
  );
}

interface ListProps {
  accounts: AccountView[];
  editingId: string | null;
  onEdit: (account: AccountView) => void;
  onRemoved: (id: string) => void;
  onImport: () => void;
}

function AccountList({ accounts, editingId, onEdit, onRemoved, onImport }: ListProps) {
  const providers = PROVIDER_IDS.filter((provider) => accounts.some((a) => a.provider === provider));
  return (
    <div className="panel">
      <h2>Saved accounts</h2>
      <div className="account-groups" data-testid="accounts-list">
        {accounts.length === 0 && <p className="muted">No accounts yet. Add one below: Electio, Sorted PRO or Sendcloud.</p>}
        {providers.map((provider) => (
          <section key={provider} className="account-group" aria-label={`${providerName(provider)} accounts`}>
            <h3>{PROVIDER_LABELS[provider]}</h3>
            {provider === 'sendcloud' && (
              <p className="provider-note" data-testid="sendcloud-actions-note">
                {SENDCLOUD_ACTIONS_SENTENCE}
              </p>
            )}
            <ul className="account-list">
              {accounts
                .filter((a) => a.provider === provider)
                .map((account) => (
                  <AccountRow
                    key={account.id}
                    account={account}
                    editing={account.id === editingId}
                    onEdit={() => onEdit(account)}
                    onRemoved={() => onRemoved(account.id)}
                  />
                ))}
            </ul>
          </section>
        ))}
      </div>
      {accounts.length > 0 && (
        <button type="button" className="button" onClick={onImport}>
          Import a list of shipments
        </button>
      )}
    </div>
  );
}

interface RowProps {
  account: AccountView;
  editing: boolean;
  onEdit: () => void;
  onRemoved: () => void;
}

function AccountRow({ account, editing, onEdit, onRemoved }: RowProps) {
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keyCheck = useKeyCheck(account);

  async function remove() {
    setRemoving(true);
    setError(null);
    try {
      await call('accounts.remove', { id: account.id });
      onRemoved();
    } catch (failure) {
      // A `conflict` says the account still has cancellations waiting; its message says what to do.
      setError(messageOf(failure));
      setConfirming(false);
      setRemoving(false);
    }
  }

  return (
    <li className={editing ? 'account-item editing' : 'account-item'} data-testid="account-row" data-account={account.name}>
      <div className="account-main">
        <div className="account-text">
          <div className="account-name">{account.name}</div>
          <div className="muted small account-facts">{accountFacts(account).join(' · ')}</div>
        </div>
        <div className="account-side">
          <KeyBadge account={account} />
          <KeyCheckButton account={account} state={keyCheck.state} onCheck={() => void keyCheck.check()} disabled={removing} />
          <button
            type="button"
            className="button small-button"
            data-testid="account-edit"
            data-account={account.name}
            onClick={onEdit}
            disabled={removing}
            aria-label={`Edit ${account.name}`}
          >
            Edit
          </button>
          <button
            type="button"
            className="button small-button"
            data-testid="account-remove"
            data-account={account.name}
            onClick={() => {
              setError(null);
              setConfirming(true);
            }}
            disabled={removing || confirming}
            aria-label={`Remove ${account.name}`}
          >
            Remove
          </button>
        </div>
      </div>
      <KeyCheckResultLine account={account} state={keyCheck.state} onEdit={onEdit} />
      {confirming && (
        <div className="remove-confirm" role="group" aria-label={`Remove ${account.name}?`}>
          <span>
            Remove <strong>{account.name}</strong>? Its key is deleted from the keychain; past results stay.
          </span>
          <button
            type="button"
            className="button danger small-button"
            data-testid="account-remove-confirm"
            data-account={account.name}
            onClick={() => void remove()}
            disabled={removing}
          >
            {removing ? 'Removing…' : 'Remove account'}
          </button>
          <button type="button" className="button small-button" onClick={() => setConfirming(false)} disabled={removing}>
            Keep it
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert" data-testid="account-remove-error">
          {error}
        </p>
      )}
    </li>
  );
}

function KeyBadge({ account }: { account: AccountView }) {
  if (account.secretInMemory) {
    return (
      <span className="badge warn" title="No keychain was reachable: enter the key again after Bulk Cancel restarts.">
        In memory: key kept until the app quits
      </span>
    );
  }
  return account.hasSecret ? <span className="badge ok">Key in keychain</span> : <span className="badge warn">No key</span>;
}

/** "https://panel.sendcloud.sc · integration 4711 · HTTP Basic · 100 requests/min (default)". */
function accountFacts(account: AccountView): string[] {
  const facts = [account.baseUrl];
  if (account.provider === 'sendcloud') {
    const { integrationId, authKind, tokenUrl } = account.settings;
    facts.push(integrationId ? `integration ${integrationId}` : 'no integration id');
    facts.push(authKind === 'oauth2' ? `OAuth2${tokenUrl ? ` via ${tokenUrl}` : ''}` : 'HTTP Basic');
  }
  const isDefault = account.settings.ratePerMinute === undefined;
  facts.push(`${account.ratePerMinute} requests/min${isDefault ? ' (default)' : ''}`);
  return facts;
}
