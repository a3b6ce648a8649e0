/**
 * What main found in an imported list before anything is queued: where the references are,
 * how many shipments it holds and of which providers, duplicates collapsed, rows rejected and why,
 * references an earlier batch already cancelled, and the first references.
 */
import { useState, type ReactNode } from 'react';
import type { ImportPreview } from '../../../shared/contract';
import { call, messageOf } from '../api';
import { formatDateTime, plural, providerName, shortId } from '../format';

interface Props {
  preview: ImportPreview;
  /** The workbook sheet read (the first when not chosen), and how to read another one. */
  sheet?: string | undefined;
  onSheet?: (sheet: string) => void;
  /** Reads the list again from another column (0-based). */
  onColumn?: (column: number) => void;
  /** A new preview is being made: the choices wait for it. */
  busy?: boolean;
}

export function PreviewPanel({ preview, sheet, onSheet, onColumn, busy = false }: Props) {
  return (
    <div className="panel preview" data-testid="preview">
      <h2>{preview.fileName ?? 'Pasted list'}</h2>
      <div className="counts">
        <Count label="shipments found" value={preview.items} testId="preview-items" tone="primary" />
        <Count label="duplicates collapsed" value={preview.duplicates} testId="preview-duplicates" />
        <Count
          label="rows rejected"
          value={preview.rejectedTotal}
          testId="preview-rejected"
          tone={preview.rejectedTotal > 0 ? 'bad' : undefined}
        />
      </div>
      <ColumnChoice preview={preview} onColumn={onColumn} busy={busy} />
      {preview.hints.length > 0 && (
        <ul className="hints" data-testid="preview-hints" role="note">
          {preview.hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ul>
      )}
      <dl className="facts">
        <dt>Header row</dt>
        <dd>{preview.hasHeader ? 'Yes' : 'No'}</dd>
        {preview.groups.length > 0 ? (
          <>
            <dt>{preview.groups.length === 1 ? 'Provider' : 'Providers'}</dt>
            <dd>
              {preview.groups.map((group) => `${providerName(group.provider)} ${group.items.toLocaleString()}`).join(' · ')}
            </dd>
          </>
        ) : (
          preview.provider && (
            <>
              <dt>References look like</dt>
              <dd>{providerName(preview.provider)}</dd>
            </>
          )
        )}
      </dl>
      {preview.sheets.length > 1 && onSheet && (
        <label className="field sheet-choice">
          <span>Sheet</span>
          <select
            data-testid="preview-sheet"
            value={sheet ?? preview.sheets[0]}
            onChange={(event) => onSheet(event.target.value)}
          >
            {preview.sheets.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      {preview.notes.length > 0 && (
        <ul className="notes">
          {preview.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
      {preview.alreadyDone.total > 0 && <AlreadyDone preview={preview} />}
      {preview.rejectedTotal > 0 && <RejectedRows preview={preview} />}
      {preview.duplicates > 0 && <DuplicateRows preview={preview} />}
      {preview.sample.length > 0 && <Sample preview={preview} />}
    </div>
  );
}

interface CountProps {
  label: string;
  value: number;
  testId: string;
  tone?: 'primary' | 'bad' | undefined;
}

function Count({ label, value, testId, tone }: CountProps) {
  return (
    <div className={tone ? `count ${tone}` : 'count'}>
      <span className="count-value" data-testid={testId}>
        {value.toLocaleString()}
      </span>
      <span className="count-label">{label}</span>
    </div>
  );
}

/** The column read and why, and the others to read instead, each with what it holds. */
function ColumnChoice({ preview, onColumn, busy }: Pick<Props, 'preview' | 'onColumn'> & { busy: boolean }) {
  const { column, candidates } = preview;
  const label = (candidate: ImportPreview['candidates'][number]) =>
    `${candidate.name ?? `Column ${candidate.index + 1}`}: ${candidate.valid.toLocaleString()} of ${candidate.values.toLocaleString()} values are references (${candidate.looksLike})`;
  return (
    <div className="column-choice">
      <p data-testid="preview-column-reason" className={column.index < 0 ? 'error' : undefined}>
        {column.reason}
      </p>
      {onColumn && candidates.length > 1 && (
        <label className="field">
          <span>Reference column</span>
          <select
            data-testid="preview-column"
            value={column.index < 0 ? '' : String(column.index)}
            disabled={busy}
            onChange={(event) => onColumn(Number(event.target.value))}
          >
            {column.index < 0 && <option value="">Choose the column that holds the references</option>}
            {[...candidates]
              .sort((a, b) => a.index - b.index)
              .map((candidate) => (
                <option key={candidate.index} value={String(candidate.index)}>
                  {label(candidate)}
                </option>
              ))}
          </select>
        </label>
      )}
    </div>
  );
}

function DuplicateRows({ preview }: { preview: ImportPreview }) {
  return (
    <details className="duplicates" data-testid="preview-duplicate-rows">
      <summary>
        Duplicate rows ({preview.duplicates.toLocaleString()}): each shipment is sent once
        {preview.duplicates > preview.duplicateRows.length && (
          <span className="muted"> (showing first {preview.duplicateRows.length})</span>
        )}
      </summary>
      <SmallTable columns={['Row', 'Reference', 'Same as row']}>
        {preview.duplicateRows.map((row) => (
          <tr key={row.row}>
            <td className="num">{row.row}</td>
            <td className="mono">{row.reference}</td>
            <td className="num">{row.firstRow}</td>
          </tr>
        ))}
      </SmallTable>
    </details>
  );
}

function AlreadyDone({ preview }: { preview: ImportPreview }) {
  const { total, items } = preview.alreadyDone;
  const all = total === preview.items;
  return (
    <div className="already-done" data-testid="preview-already-done" role="note">
      <p>
        <strong>
          {total.toLocaleString()} of these references {total === 1 ? 'was' : 'were'} already cancelled in an earlier batch.
        </strong>{' '}
        If you confirm, {total === 1 ? 'it is' : 'they are'} sent again: the provider will answer “already cancelled”
        {all ? ', so this batch would change nothing.' : '. Remove them from the list if that was not meant.'}
      </p>
      <SmallTable columns={['Row', 'Reference', 'Cancelled', 'Batch']}>
        {items.map((item) => (
          <tr key={`${item.row}:${item.reference}`} data-testid="preview-already-done-row">
            <td className="num">{item.row}</td>
            <td className="mono">{item.reference}</td>
            <td>{item.completedAt ? formatDateTime(item.completedAt) : <span className="muted">earlier</span>}</td>
            <td className="mono" title={item.batchId}>
              {shortId(item.batchId)}
            </td>
          </tr>
        ))}
      </SmallTable>
      {total > items.length && (
        <p className="small muted">
          Showing the first {items.length}; {plural(total - items.length, 'more reference')}{' '}
          {total - items.length === 1 ? 'was' : 'were'} cancelled before too.
        </p>
      )}
    </div>
  );
}

function RejectedRows({ preview }: { preview: ImportPreview }) {
  const shown = preview.rejected.length;
  const [saved, setSaved] = useState<{ text: string; failed: boolean } | null>(null);
  async function save() {
    try {
      const { path, rows } = await call('import.saveRejected', { draftId: preview.draftId });
      setSaved(path === null ? null : { text: `Saved ${plural(rows, 'rejected row')} to ${path}.`, failed: false });
    } catch (failure) {
      setSaved({ text: messageOf(failure), failed: true });
    }
  }
  return (
    <details className="rejected" open>
      <summary>
        Rejected rows
        {preview.rejectedTotal > shown && (
          <span className="muted">
            {' '}
            (showing first {shown.toLocaleString()} of {preview.rejectedTotal.toLocaleString()})
          </span>
        )}
      </summary>
      <SmallTable columns={['Row', 'Value', 'Problem']}>
        {preview.rejected.map((row) => (
          <tr key={`${row.row}:${row.value}`}>
            <td className="num">{row.row}</td>
            <td className="mono">{row.value || <span className="muted">(empty)</span>}</td>
            <td>{row.error}</td>
          </tr>
        ))}
      </SmallTable>
      <p className="row-actions">
        <button type="button" className="button" data-testid="preview-save-rejected" onClick={() => void save()}>
          Save rejected rows as CSV…
        </button>
        {saved && (
          <span role="status" className={saved.failed ? 'error' : 'muted'} data-testid="preview-saved-rejected">
            {saved.text}
          </span>
        )}
      </p>
    </details>
  );
}

/** A short table of rows from the list, under a heading of its columns. */
function SmallTable({ columns, children }: { columns: readonly string[]; children: ReactNode }) {
  return (
    <div className="small-table-wrap">
      <table className="small-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function Sample({ preview }: { preview: ImportPreview }) {
  return (
    <details className="sample" open>
      <summary>First {preview.sample.length} references</summary>
      <ol className="sample-list">
        {preview.sample.map((item) => (
          <li key={item.row}>
            <span className="muted small">row {item.row}</span> <span className="mono">{item.reference}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
