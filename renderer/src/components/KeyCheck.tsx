/**
 * "Check key" on an account: main reads, with the saved key, a shipment that does not exist, and the
 * carrier's answer says whether it accepts the key. The result is said in plain words next to the
 * account, with the way to fix a refused key.
 */
import { useEffect, useState } from 'react';
import type { AccountView, KeyCheckResult } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { providerName } from '../format';

type CheckState = { kind: 'idle' } | { kind: 'checking' } | KeyCheckResult | { kind: 'failed'; message: string };

/** The account's check: its state, and the function that asks main again. A saved change clears it. */
export function useKeyCheck(account: AccountView) {
  const [state, setState] = useState<CheckState>({ kind: 'idle' });
  useEffect(() => setState({ kind: 'idle' }), [account]);
  async function check() {
    setState({ kind: 'checking' });
    try {
      setState(await call('accounts.checkKey', { accountId: account.id }));
    } catch (failure) {
      setState({ kind: 'failed', message: messageOf(failure) });
    }
  }
  return { state, check };
}

interface ButtonProps {
  account: AccountView;
  state: CheckState;
  onCheck: () => void;
  disabled?: boolean;
}

export function KeyCheckButton({ account, state, onCheck, disabled = false }: ButtonProps) {
  const checking = state.kind === 'checking';
  return (
    <button
      type="button"
      className="button small-button"
      data-testid="account-check"
      data-account={account.name}
      onClick={onCheck}
      disabled={disabled || checking}
      aria-label={`Check the key of ${account.name}`}
    >
      {checking ? 'Checking…' : 'Check key'}
    </button>
  );
}

interface ResultProps {
  account: AccountView;
  state: CheckState;
  /** Opens the account's form, to save the right key. */
  onEdit: () => void;
}

/** What the check found, read out by screen readers as it arrives. */
export function KeyCheckResultLine({ account, state, onEdit }: ResultProps) {
  return (
    <div className="key-check" role="status" data-testid="account-check-result" data-account={account.name}>
      {state.kind === 'checking' && <p className="status">Asking {providerName(account.provider)}…</p>}
      {state.kind === 'accepted' && <p className="success">Key accepted by {providerName(account.provider)}.</p>}
      {state.kind === 'refused' && (
        <p className="error">
          {state.message}{' '}
          <button type="button" className="button small-button" data-testid="account-check-fix" onClick={onEdit}>
            Save the right key
          </button>
        </p>
      )}
      {(state.kind === 'unknown' || state.kind === 'failed') && <p className="notice">{state.message}</p>}
    </div>
  );
}
