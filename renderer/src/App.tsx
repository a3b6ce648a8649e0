/**
 * The app frame: top navigation between Import, Run, Results, History and Accounts, and the little
 * state that outlives a screen (the open batch, a half-finished import). Starts on the screen the
 * clerk left last time when it needs no batch (Import, History, Accounts); otherwise on Import, or on
 * Accounts until one exists. Tells the clerk when a batch finishes while another screen is shown.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BatchSummary } from '../../shared/contract';
import type { Reason } from '../../shared/domain';
import { call, messageOf, onEvent } from './api';
import { ScreenBoundary } from './components/ScreenBoundary';
import { focusHeading, useFocusRescue } from './focus';
import { plural } from './format';
import type { ImportDraft } from './screens/ImportScreen';
import { AccountsScreen } from './screens/AccountsScreen';
import { HistoryScreen } from './screens/HistoryScreen';
import { ImportScreen } from './screens/ImportScreen';
import { ResultsScreen } from './screens/ResultsScreen';
import { RunScreen } from './screens/RunScreen';

type Screen = 'import' | 'run' | 'results' | 'history' | 'accounts';

/** Screens that make sense without an open batch, so they can be restored at start. */
const RESTORABLE: readonly string[] = ['import', 'history', 'accounts'];

const TITLES: Record<Screen, string> = {
  import: 'Import',
  run: 'Run',
  results: 'Results',
  history: 'History',
  accounts: 'Accounts',
};

type Start = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string };

/** Asks main for the last screen; an older main without `ui.state`, or any failure, means none. */
async function lastScreen(): Promise<string | null> {
  try {
    return (await call('ui.state', {})).lastScreen;
  } catch {
    return null;
  }
}

/** The newest batch that is still sending, paused or waiting, if any (a failure means none is shown). */
async function liveBatch(): Promise<string | null> {
  try {
    const { batches } = await call('history.list', { limit: 50 });
    return batches.find((batch) => batch.state !== 'finished')?.id ?? null;
  } catch {
    return null;
  }
}

export function App() {
  const [start, setStart] = useState<Start>({ state: 'loading' });
  const [screen, setScreen] = useState<Screen>('import');
  const [batchId, setBatchId] = useState<string | null>(null);
  /** Bumped whenever a batch is opened from History, so Results starts afresh with its search. */
  const [opening, setOpening] = useState<{ count: number; search?: string | undefined; reason?: Reason | undefined }>({
    count: 0,
  });
  const [importDraft, setImportDraft] = useState<ImportDraft | null>(null);
  const [startProblem, setStartProblem] = useState<string | null>(null);
  const [finished, setFinished] = useState<BatchSummary | null>(null);
  const [attempt, setAttempt] = useState(0);
  const main = useRef<HTMLElement>(null);
  useFocusRescue(main);
  /** Set once the clerk picks a screen: start-up routing must not then take them to another one. */
  const chosen = useRef(false);

  useEffect(() => {
    let live = true;
    setStart({ state: 'loading' });
    Promise.all([call('accounts.list', {}), lastScreen(), liveBatch()])
      .then(([accounts, last, sending]) => {
        if (!live) return;
        // A batch still sending, paused or waiting from before a restart stays within reach (Run, Results).
        if (sending) setBatchId((open) => open ?? sending);
        // The navigation is there while the app opens; a screen the clerk chose meanwhile is kept.
        if (!chosen.current) {
          if (last && RESTORABLE.includes(last)) setScreen(last as Screen);
          else setScreen(accounts.length > 0 ? 'import' : 'accounts');
        }
        setStart({ state: 'ready' });
      })
      .catch((error: unknown) => {
        if (live) setStart({ state: 'failed', message: messageOf(error) });
      });
    return () => {
      live = false;
    };
  }, [attempt]);

  // Remembers the screen for next time (a failure only means it is not remembered).
  const ready = start.state === 'ready';
  useEffect(() => {
    if (!ready) return;
    document.title = `${TITLES[screen]} · Bulk Cancel`;
    call('ui.state', { lastScreen: screen }).catch(() => undefined);
  }, [ready, screen]);

  // Each step of the clerk's path lands on the new screen's heading (not on the first run of the app).
  const landed = useRef<Screen | null>(null);
  useEffect(() => {
    if (!ready) return;
    if (landed.current !== null && landed.current !== screen) focusHeading(main.current);
    landed.current = screen;
  }, [ready, screen]);

  // A batch that finishes while the clerk looks elsewhere gets a short notice with the way to its results.
  const where = useRef({ screen, batchId });
  where.current = { screen, batchId };
  useEffect(
    () =>
      onEvent('batch.finished', (summary) => {
        const { screen: shown, batchId: open } = where.current;
        if ((shown === 'run' || shown === 'results') && open === summary.id) return;
        setFinished(summary);
      }),
    [],
  );

  const go = useCallback((next: Screen) => {
    chosen.current = true;
    setScreen(next);
  }, []);

  function batchStarted(id: string, problem: string | null) {
    setBatchId(id);
    setStartProblem(problem);
    setImportDraft(null);
    setScreen('run');
  }

  function openBatch(id: string, search?: string, reason?: Reason) {
    if (id !== batchId) setStartProblem(null);
    setBatchId(id);
    setOpening((current) => ({ count: current.count + 1, search, reason }));
    setFinished((notice) => (notice?.id === id ? null : notice));
    setScreen('results');
  }

  function openProgress(id: string) {
    if (id !== batchId) setStartProblem(null);
    setBatchId(id);
    setScreen('run');
  }

  function batchDeleted(id: string) {
    if (id === batchId) {
      setBatchId(null);
      setStartProblem(null);
    }
    setFinished((notice) => (notice?.id === id ? null : notice));
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Bulk Cancel</span>
        <nav className="nav" aria-label="Screens">
          <NavButton to="import" current={screen} onGo={go} testId="nav-import" label="Import" />
          {batchId && <NavButton to="run" current={screen} onGo={go} testId="nav-run" label="Run" />}
          <NavButton to="results" current={screen} onGo={go} testId="nav-results" label="Results" />
          <NavButton to="history" current={screen} onGo={go} testId="nav-history" label="History" />
          <NavButton to="accounts" current={screen} onGo={go} testId="nav-accounts" label="Accounts" />
        </nav>
      </header>
      <main className="content" id="main" tabIndex={-1} ref={main}>
        {finished && (
          <FinishedNotice summary={finished} onOpen={() => openBatch(finished.id)} onDismiss={() => setFinished(null)} />
        )}
        {start.state === 'loading' && <p className="muted">Opening Bulk Cancel…</p>}
        {start.state === 'failed' && (
          <section className="screen" aria-labelledby="start-failed-title">
            <h1 id="start-failed-title">Bulk Cancel could not start</h1>
            <div className="error" role="alert">
              <p>{start.message}</p>
              <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
                Try again
              </button>
            </div>
          </section>
        )}
        {ready && (
          <ScreenBoundary key={screen} onLeave={() => setScreen('import')}>
            {screen === 'import' && (
              <ImportScreen
                draft={importDraft}
                onDraftChange={setImportDraft}
                onStarted={batchStarted}
                onAddAccount={() => setScreen('accounts')}
              />
            )}
            {screen === 'run' && batchId && (
              <RunScreen
                key={batchId}
                batchId={batchId}
                startProblem={startProblem}
                onSeeResults={(reason) => openBatch(batchId, undefined, reason)}
                onOpenAccounts={() => setScreen('accounts')}
                onStartProblemGone={() => setStartProblem(null)}
              />
            )}
            {screen === 'results' && (
              <ResultsScreen
                key={`${batchId ?? 'none'}:${opening.count}`}
                batchId={batchId}
                initialSearch={opening.search}
                initialReason={opening.reason}
                onImport={() => setScreen('import')}
                onHistory={() => setScreen('history')}
              />
            )}
            {screen === 'history' && (
              <HistoryScreen
                onOpenBatch={openBatch}
                onOpenProgress={openProgress}
                onImport={() => setScreen('import')}
                onDeleted={batchDeleted}
              />
            )}
            {screen === 'accounts' && <AccountsScreen onImport={() => setScreen('import')} />}
          </ScreenBoundary>
        )}
      </main>
    </div>
  );
}

interface NavButtonProps {
  to: Screen;
  current: Screen;
  onGo: (screen: Screen) => void;
  testId: string;
  label: string;
}

function NavButton({ to, current, onGo, testId, label }: NavButtonProps) {
  const active = to === current;
  return (
    <button
      type="button"
      className={active ? 'nav-link active' : 'nav-link'}
      aria-current={active ? 'page' : undefined}
      data-testid={testId}
      onClick={() => onGo(to)}
    >
      {label}
    </button>
  );
}

interface FinishedProps {
  summary: BatchSummary;
  onOpen: () => void;
  onDismiss: () => void;
}

function FinishedNotice({ summary, onOpen, onDismiss }: FinishedProps) {
  const { counts } = summary;
  const parts = [
    `${counts.succeeded} succeeded`,
    counts.pending > 0 ? `${counts.pending} cancellation queued` : null,
    `${counts.failed} failed`,
    counts.stopped > 0 ? `${counts.stopped} stopped` : null,
  ].filter(Boolean);
  return (
    <div className="finished-notice" role="status" data-testid="batch-finished-notice" data-batch={summary.id}>
      <p>
        <strong>{summary.sourceName ?? 'Pasted list'} finished</strong> ({plural(summary.total, 'item')}): {parts.join(', ')}.
      </p>
      <div className="actions">
        <button type="button" className="button small-button primary" data-testid="batch-finished-open" onClick={onOpen}>
          See results
        </button>
        <button type="button" className="button small-button" aria-label="Dismiss this notice" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
