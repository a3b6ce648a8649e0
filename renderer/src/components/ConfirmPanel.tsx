/**
 * The last step before anything is sent: choose the account and confirm, in one plain sentence,
 * how many shipments will be cancelled through it. Cancelling cannot be undone, so it says so.
 */
import type { ImportPreview } from '../../../shared/contract';
import { plural, providerName } from '../format';

interface Props {
  preview: ImportPreview;
  accountId: string;
  onAccountChange: (accountId: string) => void;
  onConfirm: () => void;
  onBack: () => void;
  onAddAccount: () => void;
  /** Something is under way (checking the list again, or starting): hold the buttons. */
  busy: boolean;
  starting: boolean;
}

export function ConfirmPanel({ preview, accountId, onAccountChange, onConfirm, onBack, onAddAccount, busy, starting }: Props) {
  const account = preview.accounts.find((a) => a.id === accountId);
  const shipments = plural(preview.items, 'shipment');
  const back = (
    <button type="button" className="button" onClick={onBack} disabled={busy}>
      Back
    </button>
  );

  if (preview.items === 0) {
    return (
      <div className="panel confirm">
        <p>There is nothing to cancel in this list. Check that it holds shipment references.</p>
        <div className="actions">{back}</div>
      </div>
    );
  }

  if (preview.accounts.length === 0) {
    return (
      <div className="panel confirm">
        <p>Add an Electio account first: cancellations are sent through it.</p>
        <div className="actions">
          <button type="button" className="button primary" onClick={onAddAccount}>
            Add an account
          </button>
          {back}
        </div>
      </div>
    );
  }

  return (
    <div className="panel confirm">
      <label className="field">
        <span>Account</span>
        <select data-testid="account-select" value={accountId} onChange={(e) => onAccountChange(e.target.value)} disabled={busy}>
          {!account && <option value="">Choose an account…</option>}
          {preview.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({providerName(a.provider)})
            </option>
          ))}
        </select>
      </label>
      {account ? (
        <p className="confirm-sentence">
          Cancel {shipments} through account <strong>{account.name}</strong> ({providerName(account.provider)}
          )? Cancelling cannot be undone.
        </p>
      ) : (
        <p className="confirm-sentence">Choose the account these shipments belong to.</p>
      )}
      <div className="actions">
        <button
          type="button"
          className="button danger"
          data-testid="confirm-button"
          onClick={onConfirm}
          disabled={busy || !account}
        >
          {starting ? 'Starting…' : `Cancel ${shipments}`}
        </button>
        {back}
      </div>
    </div>
  );
}
