/**
 * Import: the clerk chooses what to do (cancel, cancel then delete, cancel label), brings a list of
 * shipment references (choose a file, drop one, or paste), checks the preview main makes of it,
 * picks the account per provider where there are several, sees how long it will take, and confirms;
 * the batch then starts. Going back to choose another list keeps the checked one until another
 * replaces it.
 */
import { useEffect, useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import type { ImportInput, ImportPreview, TimeLeft } from '../../../shared/contract';
import type { Action, ProviderId } from '../../../shared/domain';
import { ApiError, call, messageOf } from '../api';
import { ActionChoice } from '../components/ActionChoice';
import { ConfirmPanel } from '../components/ConfirmPanel';
import { PreviewPanel } from '../components/PreviewPanel';
import { focusHeading } from '../focus';
import { plural } from '../format';
import { sourceFromFile, sourceFromText } from '../importSource';
import { defaultChoices, type AccountChoices } from '../routePlan';

/**
 * An import the clerk has checked but not confirmed yet; kept by the app across screens. The list
 * itself stays in main under `preview.draftId`: it crossed once, for the first preview.
 */
export interface ImportDraft {
  action: Action;
  preview: ImportPreview;
  /** The account per provider for rows that do not name one. */
  choices: AccountChoices;
}

type Busy = null | 'reading' | 'checking' | 'starting';

interface Props {
  draft: ImportDraft | null;
  onDraftChange: (draft: ImportDraft | null) => void;
  onStarted: (batchId: string, startProblem: string | null) => void;
  onAddAccount: () => void;
}

export function ImportScreen({ draft, onDraftChange, onStarted, onAddAccount }: Props) {
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<Action>(draft?.action ?? 'cancel');
  /** The clerk went back to bring another list; the checked one is kept until another replaces it. */
  const [picking, setPicking] = useState(false);
  const checked = useRef<HTMLDivElement>(null);
  const returnButton = useRef<HTMLButtonElement>(null);
  /** Where focus goes once the screen has changed: the checked list's heading, or the way back to it. */
  const [focusNext, setFocusNext] = useState<null | 'preview' | 'return'>(null);
  useEffect(() => {
    if (focusNext === 'preview') focusHeading(checked.current, 'h2');
    if (focusNext === 'return') returnButton.current?.focus();
    setFocusNext(null);
  }, [focusNext]);
  const estimate = useEstimate(draft);

  /**
   * Asks main for the preview of a new list, or of the kept draft again (another sheet or action,
   * current accounts); true when it came back. A draft main no longer keeps is dropped here too.
   */
  async function check(
    from: ImportInput | { draft: ImportDraft; sheet?: string; column?: number },
    checkAction: Action,
  ): Promise<boolean> {
    setBusy('checking');
    try {
      const preview =
        'draft' in from
          ? await call('import.preview', {
              draftId: from.draft.preview.draftId,
              sheet: from.sheet,
              column: from.column,
              action: checkAction,
            })
          : await call('import.preview', { source: from, action: checkAction });
      const earlier = 'draft' in from ? from.draft.choices : {};
      onDraftChange({ action: checkAction, preview, choices: defaultChoices(preview, earlier) });
      if (!('draft' in from)) {
        setPicking(false);
        // A new list was checked: the clerk goes on from its preview, not from the top of the page.
        setFocusNext('preview');
      }
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      if (failure instanceof ApiError && failure.code === 'not_found' && 'draft' in from) onDraftChange(null);
      return false;
    } finally {
      setBusy(null);
    }
  }

  // Coming back (perhaps after adding, renaming or removing an account): check again so the accounts are current.
  const firstDraft = useRef(draft);
  useEffect(() => {
    const earlier = firstDraft.current;
    if (earlier) void check({ draft: earlier }, earlier.action);
  }, []); // only on arrival: drafts made on this screen are fresh

  // With a list checked already, the preview is made again for the new action (it decides which
  // references are read as which provider); if that fails, the choice goes back to what the preview shows.
  async function changeAction(next: Action) {
    setAction(next);
    setError(null);
    if (draft && !(await check({ draft }, next))) setAction(draft.action);
  }

  async function readFile(file: File) {
    setError(null);
    setBusy('reading');
    let source: ImportInput;
    try {
      source = await sourceFromFile(file);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(null);
      return;
    }
    await check(source, action);
  }

  function checkPastedText(text: string) {
    setError(null);
    try {
      void check(sourceFromText(text), action);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  function choose(provider: ProviderId, accountId: string) {
    if (!draft) return;
    const choices = { ...draft.choices };
    if (accountId) choices[provider] = accountId;
    else delete choices[provider];
    onDraftChange({ ...draft, choices });
  }

  async function confirm() {
    if (!draft) return;
    setError(null);
    setBusy('starting');
    let batchId: string;
    try {
      ({ batchId } = await call('import.confirm', { draftId: draft.preview.draftId, accounts: draft.choices }));
    } catch (failure) {
      setError(messageOf(failure));
      if (failure instanceof ApiError && failure.code === 'not_found') onDraftChange(null);
      setBusy(null);
      return;
    }
    // The batch is saved now; if starting fails, the Run screen says so and offers to start it.
    let startProblem: string | null = null;
    try {
      await call('batch.start', { batchId });
    } catch (failure) {
      startProblem = messageOf(failure);
    }
    onStarted(batchId, startProblem);
  }

  return (
    <section className="screen" aria-labelledby="import-title">
      <h1 id="import-title">Import shipments to cancel</h1>
      <ActionChoice action={action} onChange={(next) => void changeAction(next)} disabled={busy !== null} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {draft && !picking ? (
        <div className="checked-list" ref={checked}>
          {busy === 'checking' && (
            <p className="status" role="status">
              Checking the list again…
            </p>
          )}
          <PreviewPanel
            preview={draft.preview}
            sheet={draft.preview.sheet ?? undefined}
            onSheet={(sheet) => void check({ draft, sheet }, draft.action)}
            onColumn={(column) => void check({ draft, column }, draft.action)}
            busy={busy !== null}
          />
          <ConfirmPanel
            preview={draft.preview}
            action={draft.action}
            choices={draft.choices}
            estimate={estimate}
            onChoose={choose}
            onConfirm={() => void confirm()}
            onSwitchToLabels={() => void changeAction('cancel-label')}
            onBack={() => {
              setError(null);
              setPicking(true);
              setFocusNext('return');
            }}
            onAddAccount={onAddAccount}
            busy={busy !== null}
            starting={busy === 'starting'}
          />
        </div>
      ) : (
        <>
          {draft && (
            <div className="notice kept-list" role="status" data-testid="kept-list">
              <span>
                Your checked list ({draft.preview.fileName ?? 'pasted list'}, {plural(draft.preview.items, 'shipment')}) is kept
                until you check another one.
              </span>
              <button
                ref={returnButton}
                type="button"
                className="button"
                data-testid="return-to-list"
                onClick={() => {
                  setPicking(false);
                  setFocusNext('preview');
                }}
                disabled={busy !== null}
              >
                Return to it
              </button>
            </div>
          )}
          <SourcePicker action={action} busy={busy} onFile={(file) => void readFile(file)} onText={checkPastedText} />
        </>
      )}
    </section>
  );
}

/**
 * How long the checked list would take with the accounts chosen so far, asked of main each time the
 * list or a choice changes; null until it is known (or while an account is still to be chosen).
 */
function useEstimate(draft: ImportDraft | null): TimeLeft | null {
  const [estimate, setEstimate] = useState<{ for: ImportDraft; value: TimeLeft | null } | null>(null);
  useEffect(() => {
    if (!draft || draft.preview.items === 0) return;
    let current = true;
    call('import.estimate', { draftId: draft.preview.draftId, accounts: draft.choices }).then(
      (value) => current && setEstimate({ for: draft, value }),
      // No estimate is no reason to hold the clerk up: the Confirm screen simply shows none.
      () => current && setEstimate({ for: draft, value: null }),
    );
    return () => {
      current = false;
    };
  }, [draft]);
  return estimate && estimate.for === draft ? estimate.value : null;
}

const PASTE_EXAMPLES: Record<Action, string> = {
  cancel: 'EC-000-05D-1NS\nsp_00792815110958000332875334549504\n39874b59-2a68-4a3d-8e00-aeb9e0540d00\n…',
  'cancel-and-delete': 'sp_00792815110958000332875334549504\nsp_00792815110958000332875334549505\n…',
  'cancel-label': '412893177\n412893178\n…',
};

interface SourcePickerProps {
  action: Action;
  busy: Busy;
  onFile: (file: File) => void;
  onText: (text: string) => void;
}

function SourcePicker({ action, busy, onFile, onText }: SourcePickerProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [pasted, setPasted] = useState('');

  // A file dropped beside the drop zone must not make the window open it.
  useEffect(() => {
    const ignore = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, []);

  function chosen(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = ''; // so choosing the same file again still counts
    if (file) onFile(file);
  }

  function dragOver(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    event.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    setDragging(true);
  }

  function dragLeave(event: DragEvent<HTMLDivElement>) {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
  }

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) onFile(file);
  }

  const status = busy === 'reading' ? 'Reading the file…' : busy === 'checking' ? 'Checking the list…' : null;

  return (
    <div className="sources">
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        data-testid="drop-zone"
        onDragEnter={dragOver}
        onDragOver={dragOver}
        onDragLeave={dragLeave}
        onDrop={drop}
        aria-busy={busy !== null}
      >
        <p className="drop-title">Drop a CSV or text file here</p>
        <p className="muted">
          One shipment reference per row, or a column of them with a header. Optional “provider” and “account” columns say where
          each row goes.
        </p>
        <button type="button" className="button primary" onClick={() => fileInput.current?.click()} disabled={busy !== null}>
          Choose file…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          data-testid="file-input"
          onChange={chosen}
        />
        {status && (
          <p className="status" role="status">
            {status}
          </p>
        )}
      </div>

      <div className="panel paste">
        <label className="field" htmlFor="paste-input">
          <span>Or paste references</span>
        </label>
        <textarea
          id="paste-input"
          data-testid="paste-input"
          rows={8}
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          placeholder={PASTE_EXAMPLES[action]}
          spellCheck={false}
        />
        <div className="actions">
          <button
            type="button"
            className="button"
            data-testid="paste-check"
            onClick={() => onText(pasted)}
            disabled={busy !== null || !pasted.trim()}
          >
            Check pasted list
          </button>
        </div>
      </div>
    </div>
  );
}
