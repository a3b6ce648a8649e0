/**
 * The last step before anything is sent: per provider, the account its shipments go through (chosen
 * here when there are several), then in plain sentences how many shipments go through which account,
 * what that does (Sendcloud labels a "Cancel" leaves active, with the switch to "Cancel label"), and
 * how long it will take. The button stays in view at the bottom of the window however long the
 * preview above it. Cancelling cannot be undone, so it says so; a batch of more than LARGE_BATCH
 * shipments also needs the clerk to tick "I checked this list" before the button works.
 */
import { useState } from 'react';
import type { ImportPreview, TimeLeft } from '../../../shared/contract';
import { actionDescription, PROVIDER_LABELS, type Action, type ProviderId } from '../../../shared/domain';
import { plural, formatClock, formatDuration, providerName, withArticle } from '../format';
import { namedAccount, planRoutes, unnamedItems, type AccountChoices, type Group } from '../routePlan';

interface Props {
  preview: ImportPreview;
  action: Action;
  choices: AccountChoices;
  /** How long it would take with these choices; null while not known. */
  estimate: TimeLeft | null;
  onChoose: (provider: ProviderId, accountId: string) => void;
  onConfirm: () => void;
  /** Reads the list again with "Cancel label", so Sendcloud labels are cancelled. */
  onSwitchToLabels: () => void;
  onBack: () => void;
  onAddAccount: () => void;
  /** Something is under way (checking the list again, or starting): hold the buttons. */
  busy: boolean;
  starting: boolean;
}

/** More shipments than this need an explicit second confirmation. */
export const LARGE_BATCH = 1000;

export function ConfirmPanel(props: Props) {
  const { preview, action, choices, estimate, onChoose, onConfirm, onSwitchToLabels, onBack, onAddAccount, busy, starting } =
    props;
  /** The number of shipments the clerk ticked "I checked this list" for; a new count asks again. */
  const [checkedFor, setCheckedFor] = useState<number | null>(null);
  const back = (
    <button type="button" className="button" onClick={onBack} disabled={busy}>
      Back
    </button>
  );

  if (preview.items === 0) {
    return (
      <div className="panel confirm">
        <p>There is nothing to cancel in this list. Check that it holds shipment references, and that the action fits them.</p>
        <div className="actions">{back}</div>
      </div>
    );
  }

  const plan = planRoutes(preview, action, choices);
  const large = plan.routed > LARGE_BATCH;
  const largeChecked = checkedFor === plan.routed;
  const accountNames = [...new Set(plan.routes.map((route) => route.accountName))];
  const firstWithSelect = preview.groups.find((group) => hasSelect(group))?.provider;
  const labelsLeft = action === 'cancel-label' ? 0 : (preview.groups.find((group) => group.provider === 'sendcloud')?.items ?? 0);

  return (
    <>
      <div className="panel confirm">
        <h2>Where they go</h2>
        <ul className="groups">
          {preview.groups.map((group) => (
            <GroupRow
              key={group.provider}
              group={group}
              action={action}
              chosen={choices[group.provider] ?? ''}
              onChoose={(accountId) => onChoose(group.provider, accountId)}
              onAddAccount={onAddAccount}
              busy={busy}
              first={group.provider === firstWithSelect}
            />
          ))}
        </ul>

        <div className="confirm-summary">
          {plan.routes.length > 0 && (
            <>
              <p className="confirm-lead">When you confirm:</p>
              <ul className="routes" data-testid="confirm-routes">
                {plan.routes.map((route) => (
                  <li
                    key={`${route.accountId}:${route.action}`}
                    data-testid="confirm-route"
                    data-account={route.accountName}
                    data-provider={route.provider}
                    data-action={route.action}
                  >
                    <strong>{plural(route.items, 'shipment')}</strong> through <strong>{route.accountName}</strong> —{' '}
                    {actionDescription(route.action, route.provider)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {plan.unchosen.length > 0 && (
            <p className="notice" role="status">
              Choose the account for the {plan.unchosen.map(providerName).join(' and ')} shipments.
            </p>
          )}
          {labelsLeft > 0 && (
            <div className="notice labels-left" data-testid="confirm-labels-left">
              <p>
                <strong>The labels of {plural(labelsLeft, 'Sendcloud shipment')} will not be cancelled.</strong> This action
                removes {labelsLeft === 1 ? 'it' : 'them'} from the Sendcloud shop integration only; a label already made stays
                active and can still be used and charged.
              </p>
              <button type="button" className="button" data-testid="switch-to-labels" onClick={onSwitchToLabels} disabled={busy}>
                Cancel the labels instead
              </button>
            </div>
          )}
          {plan.unroutable > 0 && (
            <p className="notice" data-testid="confirm-unroutable">
              {plural(plan.unroutable, 'shipment')} {plan.unroutable === 1 ? 'has' : 'have'} no account to go through and will be
              rejected.
            </p>
          )}
          {preview.alreadyDone.total > 0 && (
            <p className="notice" data-testid="confirm-already-done">
              {plural(preview.alreadyDone.total, 'shipment')} in this list {preview.alreadyDone.total === 1 ? 'was' : 'were'}{' '}
              already cancelled in an earlier batch; {preview.alreadyDone.total === 1 ? 'it is' : 'they are'} sent again (see
              above).
            </p>
          )}
          {plan.routed > 0 && plan.unchosen.length === 0 && <Estimate estimate={estimate} />}
        </div>
      </div>

      <div className="confirm-bar" role="region" aria-label="Confirm">
        {plan.routed > 0 && (
          <p className="confirm-sentence" data-testid="confirm-sentence">
            <strong>Cancelling cannot be undone.</strong> {plural(plan.routed, 'shipment')} will be sent through{' '}
            {joinNames(accountNames)} as soon as you confirm.
          </p>
        )}
        <div className="actions">
          {large && plan.unchosen.length === 0 && (
            <label className="confirm-large">
              <input
                type="checkbox"
                data-testid="confirm-large"
                checked={largeChecked}
                onChange={(e) => setCheckedFor(e.target.checked ? plan.routed : null)}
                disabled={busy}
              />
              <span>I checked this list: cancel all {plural(plan.routed, 'shipment')}</span>
            </label>
          )}
          <button
            type="button"
            className="button danger"
            data-testid="confirm-button"
            onClick={onConfirm}
            disabled={busy || plan.routed === 0 || plan.unchosen.length > 0 || (large && !largeChecked)}
            aria-describedby={large && !largeChecked ? 'confirm-large-hint' : undefined}
          >
            {starting ? 'Starting…' : `Cancel ${plural(plan.routed, 'shipment')}`}
          </button>
          {back}
        </div>
        {large && !largeChecked && plan.unchosen.length === 0 && (
          <p className="muted small confirm-hint" id="confirm-large-hint">
            This is a large batch: tick “I checked this list” to enable the button.
          </p>
        )}
      </div>
    </>
  );
}

/** How long sending will take at the accounts' paces, and the account that takes longest when there are several. */
function Estimate({ estimate }: { estimate: TimeLeft | null }) {
  if (!estimate) return null;
  const slowest = estimate.lanes.find((lane) => lane.seconds === estimate.seconds);
  return (
    <p className="confirm-estimate" data-testid="confirm-estimate">
      Sending takes {formatDuration(estimate.seconds)} at the accounts’ paces: done by {formatClock(estimate.doneBy)}
      {slowest && estimate.lanes.length > 1 && (
        <>
          {' '}
          (longest: {slowest.accountName}, {plural(slowest.waiting, 'shipment')})
        </>
      )}
      .
    </p>
  );
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** A select is shown where rows without an account column need one and the provider has an account. */
function hasSelect(group: Group): boolean {
  return unnamedItems(group) > 0 && group.accounts.length > 0;
}

interface GroupRowProps {
  group: Group;
  action: Action;
  chosen: string;
  onChoose: (accountId: string) => void;
  onAddAccount: () => void;
  busy: boolean;
  /** The first group with a select also carries the older `account-select` test id. */
  first: boolean;
}

function GroupRow({ group, action, chosen, onChoose, onAddAccount, busy, first }: GroupRowProps) {
  const name = providerName(group.provider);
  const rest = unnamedItems(group);
  const selectId = `account-select-${group.provider}`;
  return (
    <li className="group" data-testid="preview-group" data-provider={group.provider}>
      <div className="group-head">
        <span className="group-provider">{PROVIDER_LABELS[group.provider]}</span>
        <span className="group-count" data-testid="preview-group-items">
          {plural(group.items, 'shipment')}
        </span>
      </div>
      <p className="group-action muted">{capitalise(actionDescription(action, group.provider))}.</p>

      {group.named.length > 0 && (
        <ul className="named">
          {group.named.map((named) => {
            const account = namedAccount(group, named.accountName);
            return (
              <li key={named.accountName}>
                {plural(named.items, 'row')} {named.items === 1 ? 'names' : 'name'} account <strong>{named.accountName}</strong>
                {account ? '.' : <span className="bad-text"> — there is no {name} account by that name: rejected.</span>}
              </li>
            );
          })}
        </ul>
      )}

      {rest > 0 && group.accounts.length === 0 && (
        <div className="no-account">
          <p className="notice">
            No {name} account: add one. Until then these {plural(rest, 'shipment')} will be rejected.
          </p>
          <button type="button" className="button" data-testid={`add-account-${group.provider}`} onClick={onAddAccount}>
            Add {withArticle(name)} account
          </button>
        </div>
      )}

      {rest > 0 && group.accounts.length > 0 && (
        <label className="field group-account" htmlFor={selectId} data-testid={first ? 'account-select' : undefined}>
          <span>
            {group.named.length > 0 ? `Account for the other ${plural(rest, 'shipment')}` : 'Account'}
            {group.accounts.length > 1 && <span className="hint"> · {group.accounts.length} accounts to choose from</span>}
          </span>
          <select id={selectId} data-testid={selectId} value={chosen} onChange={(e) => onChoose(e.target.value)} disabled={busy}>
            {!group.accounts.some((a) => a.id === chosen) && <option value="">Choose {withArticle(name)} account…</option>}
            {group.accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
              </option>
            ))}
          </select>
        </label>
      )}
    </li>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
