/**
 * Import: the clerk brings a list of shipment references (choose a file, drop one, or paste),
 * checks the preview main makes of it, picks the account and confirms; the batch then starts.
 */
import { useEffect, useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import type { ImportPreview, ImportSource } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { ConfirmPanel } from '../components/ConfirmPanel';
import { PreviewPanel } from '../components/PreviewPanel';
import { sourceFromFile, sourceFromText } from '../importSource';

/** An import the clerk has checked but not confirmed yet; kept by the app across screens. */
export interface ImportDraft {
  source: ImportSource;
  preview: ImportPreview;
  accountId: string;
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

  async function check(source: ImportSource, keepAccountId = '') {
    setBusy('checking');
    try {
      const preview = await call('import.preview', { source });
      const only = preview.accounts.length === 1 ? preview.accounts[0] : undefined;
      const kept = preview.accounts.some((a) => a.id === keepAccountId) ? keepAccountId : '';
      onDraftChange({ source, preview, accountId: kept || only?.id || '' });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(null);
    }
  }

  // Coming back after adding an account: check again so the new account can be chosen.
  const firstDraft = useRef(draft);
  useEffect(() => {
    const earlier = firstDraft.current;
    if (earlier && earlier.preview.accounts.length === 0) void check(earlier.source);
  }, []); // only on arrival: drafts made on this screen are fresh

  async function readFile(file: File) {
    setError(null);
    setBusy('reading');
    let source: ImportSource;
    try {
      source = await sourceFromFile(file);
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(null);
      return;
    }
    await check(source);
  }

  function checkPastedText(text: string) {
    setError(null);
    try {
      void check(sourceFromText(text));
    } catch (failure) {
      setError(messageOf(failure));
    }
  }

  async function confirm() {
    if (!draft) return;
    setError(null);
    setBusy('starting');
    let batchId: string;
    try {
      ({ batchId } = await call('import.confirm', { source: draft.source, accountId: draft.accountId }));
    } catch (failure) {
      setError(messageOf(failure));
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {draft ? (
        <>
          <PreviewPanel preview={draft.preview} />
          <ConfirmPanel
            preview={draft.preview}
            accountId={draft.accountId}
            onAccountChange={(accountId) => onDraftChange({ ...draft, accountId })}
            onConfirm={() => void confirm()}
            onBack={() => {
              setError(null);
              onDraftChange(null);
            }}
            onAddAccount={onAddAccount}
            busy={busy !== null}
            starting={busy === 'starting'}
          />
        </>
      ) : (
        <SourcePicker busy={busy} onFile={(file) => void readFile(file)} onText={checkPastedText} />
      )}
    </section>
  );
}

interface SourcePickerProps {
  busy: Busy;
  onFile: (file: File) => void;
  onText: (text: string) => void;
}

function SourcePicker({ busy, onFile, onText }: SourcePickerProps) {
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
        <p className="muted">One shipment reference per row, or a column of them with a header.</p>
        <button type="button" className="button primary" onClick={() => fileInput.current?.click()} disabled={busy !== null}>
          Choose file…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          accept=".csv,.txt,.tsv,text/csv,text/plain"
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
          placeholder={'EC-000-05D-1NS\nEC-000-05D-1NT\n…'}
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
