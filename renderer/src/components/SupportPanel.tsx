/**
 * Help for when something goes wrong: one button that has the app put a support text on the
 * clipboard (versions, counts, accounts by name, the recent log; never a key). Main does the copying,
 * so the window needs no clipboard permission; a short toast says it is done.
 */
import { useEffect, useState } from 'react';
import { call, messageOf } from '../api';

const TOAST_MS = 4000;

export function SupportPanel() {
  const [copying, setCopying] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  async function copy() {
    setCopying(true);
    setError(null);
    try {
      await call('app.diagnostics', {});
      setToast('Diagnostics copied');
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setCopying(false);
    }
  }

  return (
    <section className="panel support-panel" aria-labelledby="support-title">
      <h2 id="support-title">Help and support</h2>
      <p className="muted">
        Something not working? Copy the diagnostics and paste them into your message to support. They hold the app&apos;s version,
        counts, your account names and the recent log, and never a key or password.
      </p>
      <button type="button" className="button" data-testid="copy-diagnostics" onClick={() => void copy()} disabled={copying}>
        {copying ? 'Copying…' : 'Copy diagnostics for support'}
      </button>
      {error && (
        <p className="error" role="alert" data-testid="copy-diagnostics-error">
          {error}
        </p>
      )}
      <div className="toast-area" role="status" aria-live="polite">
        {toast && (
          <p className="toast" data-testid="toast">
            {toast}
          </p>
        )}
      </div>
    </section>
  );
}
