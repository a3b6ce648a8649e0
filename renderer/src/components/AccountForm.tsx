/**
 * Adds an account, or edits one. The fields follow the provider: one API key for Electio and
 * Sorted PRO; for Sendcloud the integration id, the kind of authentication and its two keys (sent
 * to main as `PUBLIC:SECRET` or `CLIENT_ID:CLIENT_SECRET`). Key fields are write-only: never
 * prefilled, cleared after saving; left blank when editing, the saved key is kept.
 *
 * Where no keychain is reachable main answers `keychain_unavailable`; the form then offers to keep
 * the key in memory until the app quits, by sending the same request again with `keepInMemory`.
 *
 * Over 300 lines, and one long component, for now: the form's fields, their checks and the retry
 * are one piece of state; splitting it (fields per provider) is left for a change of the form itself.
 */
import { useState, type FormEvent } from 'react';
import type { AccountSettings, AccountView, Request } from '../../../shared/contract';
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../../../shared/domain';
import { ApiError, call, messageOf } from '../api';
import { providerName } from '../format';
import {
  MAX_INTEGRATION_ID,
  MAX_RATE_PER_MINUTE,
  PROVIDER_DEFAULTS,
  SENDCLOUD_TOKEN_URL,
} from '../../../shared/provider-defaults';
import { NAME_EXAMPLES, SENDCLOUD_ACTIONS_SENTENCE } from '../providers';

type AuthKind = NonNullable<AccountSettings['authKind']>;

/** A request that failed only because no keychain was reachable, kept to send again with `keepInMemory`. */
type Retry = { kind: 'add'; request: Request<'accounts.add'> } | { kind: 'update'; request: Request<'accounts.update'> };

/** The same request, with the clerk's consent to keep the key in memory until the app quits. */
function keptInMemory(retry: Retry): Retry {
  return retry.kind === 'add'
    ? { kind: 'add', request: { ...retry.request, keepInMemory: true } }
    : { kind: 'update', request: { ...retry.request, keepInMemory: true } };
}

interface Props {
  /** The account being edited, or null to add a new one. */
  editing: AccountView | null;
  onSaved: (account: AccountView) => void;
  onDiscard: () => void;
  /** "Account … saved.", shown until the clerk types again (kept by the screen, as saving an edit remounts the form). */
  notice: string | null;
  onClearNotice: () => void;
}

export function AccountForm({ editing, onSaved, onDiscard, notice, onClearNotice }: Props) {
  const [provider, setProvider] = useState<ProviderId>(editing?.provider ?? PROVIDER_IDS[0]);
  const [name, setName] = useState(editing?.name ?? '');
  const [baseUrl, setBaseUrl] = useState(editing?.baseUrl ?? '');
  const [integrationId, setIntegrationId] = useState(editing?.settings.integrationId?.toString() ?? '');
  const [authKind, setAuthKind] = useState<AuthKind>(editing?.settings.authKind ?? 'basic');
  const [tokenUrl, setTokenUrl] = useState(editing?.settings.tokenUrl ?? '');
  const [rate, setRate] = useState(editing?.settings.ratePerMinute?.toString() ?? '');
  // Write-only: these start empty even when editing.
  const [apiKey, setApiKey] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [secretKey, setSecretKey] = useState('');

  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState<Retry | null>(null);

  const sendcloud = provider === 'sendcloud';
  const oauth = sendcloud && authKind === 'oauth2';
  const idLabel = oauth ? 'Client ID' : 'Public key';
  const secretLabel = oauth ? 'Client secret' : 'Secret key';

  /** Wraps a setter so that editing any field drops a stale keychain offer and old messages. */
  function edit<T>(set: (value: T) => void) {
    return (value: T) => {
      set(value);
      setRetry(null);
      if (notice) onClearNotice();
    };
  }

  /** The secret to send, undefined to keep the saved one (editing), or a sentence saying what is missing. */
  function secretOf(): { secret?: string } | { problem: string } {
    if (!sendcloud) {
      const key = apiKey.trim();
      if (key) return { secret: key };
      return editing ? {} : { problem: `Enter the API key for this ${providerName(provider)} account.` };
    }
    const id = publicKey.trim();
    const secret = secretKey.trim();
    const changedAuth = editing !== null && (editing.settings.authKind ?? 'basic') !== authKind;
    if (!id && !secret) {
      if (!editing) return { problem: `Enter the ${idLabel.toLowerCase()} and the ${secretLabel.toLowerCase()}.` };
      if (changedAuth)
        return { problem: `The authentication changed: enter the ${idLabel.toLowerCase()} and ${secretLabel.toLowerCase()}.` };
      return {};
    }
    if (!id || !secret) {
      return {
        problem: editing
          ? `Enter both the ${idLabel.toLowerCase()} and the ${secretLabel.toLowerCase()}, or leave both blank to keep the saved ones.`
          : `Enter both the ${idLabel.toLowerCase()} and the ${secretLabel.toLowerCase()}.`,
      };
    }
    if (id.includes(':'))
      return { problem: `The ${idLabel.toLowerCase()} cannot contain a colon (:). Check that it was pasted whole.` };
    return { secret: `${id}:${secret}` };
  }

  /** The provider settings from the form, or a sentence saying what is wrong. */
  function settingsOf(): { settings: AccountSettings } | { problem: string } {
    const settings: AccountSettings = {};
    const rateText = rate.trim();
    if (rateText) {
      const value = Number(rateText);
      if (!/^\d+$/.test(rateText) || value < 1 || value > MAX_RATE_PER_MINUTE) {
        return {
          problem: `Requests per minute must be a whole number from 1 to ${MAX_RATE_PER_MINUTE.toLocaleString()}, or blank.`,
        };
      }
      settings.ratePerMinute = value;
    }
    if (!sendcloud) return { settings };
    const idText = integrationId.trim();
    if (idText) {
      const value = Number(idText);
      if (!/^\d+$/.test(idText) || value < 1 || value > MAX_INTEGRATION_ID) {
        return { problem: 'The integration id is a number, as Sendcloud shows it for your shop integration.' };
      }
      settings.integrationId = value;
    }
    settings.authKind = authKind;
    if (oauth && tokenUrl.trim()) settings.tokenUrl = tokenUrl.trim();
    return { settings };
  }

  async function send(attempt: Retry) {
    setSaving(true);
    setError(null);
    try {
      const account =
        attempt.kind === 'add' ? await call('accounts.add', attempt.request) : await call('accounts.update', attempt.request);
      setRetry(null);
      setApiKey('');
      setPublicKey('');
      setSecretKey('');
      if (attempt.kind === 'add') {
        setName('');
        setBaseUrl('');
        setIntegrationId('');
        setTokenUrl('');
        setRate('');
      }
      onSaved(account);
    } catch (failure) {
      setError(messageOf(failure));
      const offer =
        failure instanceof ApiError && failure.code === 'keychain_unavailable' && attempt.request.secret !== undefined;
      setRetry(offer && !attempt.request.keepInMemory ? attempt : null);
    } finally {
      setSaving(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    if (notice) onClearNotice();
    setRetry(null);
    const trimmedName = name.trim();
    if (!trimmedName) return setError(`Give the account a name, for example “${NAME_EXAMPLES[provider]}”.`);
    const settings = settingsOf();
    if ('problem' in settings) return setError(settings.problem);
    const secret = secretOf();
    if ('problem' in secret) return setError(secret.problem);
    const url = baseUrl.trim();
    if (editing) {
      // A blank base URL when editing means the provider's default again.
      void send({
        kind: 'update',
        request: {
          id: editing.id,
          name: trimmedName,
          baseUrl: url || PROVIDER_DEFAULTS[provider].baseUrl,
          settings: settings.settings,
          ...secret,
        },
      });
    } else {
      const secretValue = secret.secret ?? '';
      void send({
        kind: 'add',
        request: {
          provider,
          name: trimmedName,
          ...(url ? { baseUrl: url } : {}),
          settings: settings.settings,
          secret: secretValue,
        },
      });
    }
  }

  const keyHint = editing
    ? 'Leave blank to keep the saved key. A new one replaces it in the system keychain.'
    : 'Stored in the system keychain. It is never shown again.';

  return (
    <form className="panel form account-form" onSubmit={save} noValidate aria-labelledby="account-form-title">
      <h2 id="account-form-title">{editing ? `Edit “${editing.name}”` : 'Add an account'}</h2>
      <label className="field">
        <span>Provider</span>
        <select
          data-testid="account-provider"
          value={provider}
          onChange={(e) => edit(setProvider)(e.target.value as ProviderId)}
          disabled={editing !== null}
        >
          {PROVIDER_IDS.map((id) => (
            <option key={id} value={id}>
              {PROVIDER_LABELS[id]}
            </option>
          ))}
        </select>
        {editing && <span className="hint">The provider of a saved account cannot change; add a new account instead.</span>}
      </label>
      {sendcloud && <p className="provider-note">{SENDCLOUD_ACTIONS_SENTENCE}</p>}

      <label className="field">
        <span>Name</span>
        <input
          data-testid="account-name"
          value={name}
          onChange={(e) => edit(setName)(e.target.value)}
          maxLength={100}
          placeholder={NAME_EXAMPLES[provider]}
          autoComplete="off"
        />
        <span className="hint">A list’s “account” column can name it.</span>
      </label>
      <label className="field">
        <span>
          Base URL <span className="muted">(optional)</span>
        </span>
        <input
          data-testid="account-base-url"
          type="url"
          value={baseUrl}
          onChange={(e) => edit(setBaseUrl)(e.target.value)}
          placeholder={PROVIDER_DEFAULTS[provider].baseUrl}
          autoComplete="off"
          spellCheck={false}
        />
        <span className="hint">Blank for {PROVIDER_DEFAULTS[provider].baseUrl}.</span>
      </label>

      {sendcloud ? (
        <>
          <label className="field">
            <span>Integration id</span>
            <input
              data-testid="account-integration-id"
              inputMode="numeric"
              value={integrationId}
              onChange={(e) => edit(setIntegrationId)(e.target.value)}
              placeholder="e.g. 4711"
              autoComplete="off"
              spellCheck={false}
            />
            <span className="hint">The shop integration that Cancel removes shipments from. Not needed for Cancel label.</span>
          </label>
          <label className="field">
            <span>Authentication</span>
            <select
              data-testid="account-auth-kind"
              value={authKind}
              onChange={(e) => edit(setAuthKind)(e.target.value as AuthKind)}
            >
              <option value="basic">HTTP Basic: public key and secret key</option>
              <option value="oauth2">OAuth2 client credentials: client id and client secret</option>
            </select>
          </label>
          <div className="field-pair">
            <label className="field">
              <span>{idLabel}</span>
              <input
                data-testid="account-public-key"
                value={publicKey}
                onChange={(e) => edit(setPublicKey)(e.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
            <label className="field">
              <span>{secretLabel}</span>
              <input
                data-testid="account-secret-key"
                type="password"
                value={secretKey}
                onChange={(e) => edit(setSecretKey)(e.target.value)}
                autoComplete="new-password"
                spellCheck={false}
              />
            </label>
          </div>
          <p className="hint field-note">{keyHint}</p>
          {oauth && (
            <label className="field">
              <span>
                Token URL <span className="muted">(optional)</span>
              </span>
              <input
                data-testid="account-token-url"
                type="url"
                value={tokenUrl}
                onChange={(e) => edit(setTokenUrl)(e.target.value)}
                placeholder={SENDCLOUD_TOKEN_URL}
                autoComplete="off"
                spellCheck={false}
              />
            </label>
          )}
        </>
      ) : (
        <label className="field">
          <span>API key</span>
          <input
            data-testid="account-secret"
            type="password"
            value={apiKey}
            onChange={(e) => edit(setApiKey)(e.target.value)}
            autoComplete="new-password"
            spellCheck={false}
          />
          <span className="hint">{keyHint}</span>
        </label>
      )}

      <label className="field">
        <span>
          Requests per minute <span className="muted">(optional)</span>
        </span>
        <input
          data-testid="account-rate"
          inputMode="numeric"
          value={rate}
          onChange={(e) => edit(setRate)(e.target.value)}
          placeholder={String(PROVIDER_DEFAULTS[provider].ratePerMinute)}
          autoComplete="off"
          className="short"
        />
        <span className="hint">
          {sendcloud
            ? `Blank for ${PROVIDER_DEFAULTS.sendcloud.ratePerMinute} a minute, Sendcloud’s published limit.`
            : `Blank for the default pace, ${PROVIDER_DEFAULTS[provider].ratePerMinute} a minute.`}
        </span>
      </label>

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {retry && (
        <div className="keychain-offer">
          <p>
            Bulk Cancel can instead keep this key in memory until it quits. Nothing is written to disk; you will enter the key
            again next time.
          </p>
          <button
            type="button"
            className="button primary"
            data-testid="keep-in-memory"
            onClick={() => void send(keptInMemory(retry))}
            disabled={saving}
          >
            Keep the key in memory until Bulk Cancel quits
          </button>
        </div>
      )}
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" data-testid="account-save" disabled={saving}>
          {saving ? 'Saving…' : editing ? 'Save changes' : 'Save account'}
        </button>
        {editing && (
          <button type="button" className="button" data-testid="account-edit-discard" onClick={onDiscard} disabled={saving}>
            Discard changes
          </button>
        )}
      </div>
    </form>
  );
}
