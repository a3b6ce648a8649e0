/**
 * The app frame: top navigation between Import, Run, Results and Accounts, and the little state that
 * outlives a screen (the active batch, a half-finished import). Starts on Accounts until one exists.
 */
import { useEffect, useState } from 'react';
import { call, messageOf } from './api';
import type { ImportDraft } from './screens/ImportScreen';
import { AccountsScreen } from './screens/AccountsScreen';
import { ImportScreen } from './screens/ImportScreen';
import { ResultsScreen } from './screens/ResultsScreen';
import { RunScreen } from './screens/RunScreen';

type Screen = 'import' | 'run' | 'results' | 'accounts';

type Start = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string };

export function App() {
  const [start, setStart] = useState<Start>({ state: 'loading' });
  const [screen, setScreen] = useState<Screen>('import');
  const [batchId, setBatchId] = useState<string | null>(null);
  const [importDraft, setImportDraft] = useState<ImportDraft | null>(null);
  const [startProblem, setStartProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('accounts.list', {})
      .then((accounts) => {
        if (!live) return;
        setScreen(accounts.length > 0 ? 'import' : 'accounts');
        setStart({ state: 'ready' });
      })
      .catch((error: unknown) => {
        if (live) setStart({ state: 'failed', message: messageOf(error) });
      });
    return () => {
      live = false;
    };
  }, []);

  function batchStarted(id: string, problem: string | null) {
    setBatchId(id);
    setStartProblem(problem);
    setImportDraft(null);
    setScreen('run');
  }

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Bulk Cancel</span>
        <nav className="nav" aria-label="Screens">
          <NavButton to="import" current={screen} onGo={setScreen} testId="nav-import" label="Import" />
          {batchId && <NavButton to="run" current={screen} onGo={setScreen} testId="nav-run" label="Run" />}
          <NavButton to="results" current={screen} onGo={setScreen} testId="nav-results" label="Results" />
          <NavButton to="accounts" current={screen} onGo={setScreen} testId="nav-accounts" label="Accounts" />
        </nav>
      </header>
      <main className="content">
        {start.state === 'loading' && <p className="muted">Opening Bulk Cancel…</p>}
        {start.state === 'failed' && (
          <p className="error" role="alert">
            {start.message}
          </p>
        )}
        {start.state === 'ready' && screen === 'import' && (
          <ImportScreen
            draft={importDraft}
            onDraftChange={setImportDraft}
            onStarted={batchStarted}
            onAddAccount={() => setScreen('accounts')}
          />
        )}
        {start.state === 'ready' && screen === 'run' && batchId && (
          <RunScreen
            key={batchId}
            batchId={batchId}
            startProblem={startProblem}
            onSeeResults={() => setScreen('results')}
            onOpenAccounts={() => setScreen('accounts')}
            onStartProblemGone={() => setStartProblem(null)}
          />
        )}
        {start.state === 'ready' && screen === 'results' && (
          <ResultsScreen key={batchId ?? 'none'} batchId={batchId} onImport={() => setScreen('import')} />
        )}
        {start.state === 'ready' && screen === 'accounts' && <AccountsScreen onImport={() => setScreen('import')} />}
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
