/**
 * What the batch asks of each shipment, chosen before or with the preview. Each option says, per
 * provider, what it does, so a clerk can tell removing a Sendcloud shop shipment from cancelling a label.
 */
import { ACTION_LABELS, ACTIONS, actionDescription, itemAction, PROVIDER_IDS, type Action } from '../../../shared/domain';
import { providerName } from '../format';

interface Props {
  action: Action;
  onChange: (action: Action) => void;
  disabled: boolean;
}

/** "Electio, Sorted PRO: cancels the shipment" lines: every provider for Cancel, the one it changes otherwise. */
function descriptionLines(action: Action): string[] {
  const providers =
    action === 'cancel' ? PROVIDER_IDS : PROVIDER_IDS.filter((provider) => itemAction(action, provider) === action);
  const byText = new Map<string, string[]>();
  for (const provider of providers) {
    const text = actionDescription(action, provider);
    byText.set(text, [...(byText.get(text) ?? []), providerName(provider)]);
  }
  const lines = [...byText].map(([text, names]) => `${names.join(', ')}: ${text}.`);
  if (action === 'cancel-label') lines.push('The list holds Sendcloud parcel ids or shipment ids.');
  if (action !== 'cancel') lines.push('Shipments of other providers: as Cancel.');
  return lines;
}

export function ActionChoice({ action, onChange, disabled }: Props) {
  return (
    <fieldset className="panel action-choice" data-testid="action-choice" disabled={disabled}>
      <legend>What to do with each shipment</legend>
      <div className="action-options">
        {ACTIONS.map((id) => (
          <label key={id} className={id === action ? 'action-option chosen' : 'action-option'}>
            <span className="action-title">
              <input
                type="radio"
                name="batch-action"
                value={id}
                data-testid={`action-${id}`}
                checked={id === action}
                onChange={() => onChange(id)}
              />
              {ACTION_LABELS[id]}
            </span>
            {descriptionLines(id).map((line) => (
              <span key={line} className="action-line">
                {line}
              </span>
            ))}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
