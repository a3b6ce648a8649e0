/** Something could not be read: the reason, and a Try again button that asks again. */
import type { ReactNode } from 'react';

export function RetryAlert({
  children,
  onRetry,
  disabled = false,
}: {
  children: ReactNode;
  onRetry: () => void;
  disabled?: boolean;
}) {
  return (
    <div className="error" role="alert">
      <p>{children}</p>
      <button type="button" className="button small-button" onClick={onRetry} disabled={disabled}>
        Try again
      </button>
    </div>
  );
}
