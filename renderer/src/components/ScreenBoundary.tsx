/**
 * Catches a screen that fails to draw, so the clerk sees a plain sentence and a way on instead of a
 * blank window or a stack trace. The details go to the developer console only.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** Where the clerk can go instead (the Import screen). */
  onLeave: () => void;
}

interface State {
  failed: boolean;
}

export class ScreenBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('A screen failed to draw', error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="screen" aria-labelledby="screen-failed-title">
        <h1 id="screen-failed-title">This screen could not be shown</h1>
        <div className="error" role="alert" data-testid="screen-error">
          <p>
            Something went wrong while drawing it. Nothing you sent is lost: every result is kept. Try again, or go to another
            screen.
          </p>
          <div className="actions">
            <button type="button" className="button" onClick={() => this.setState({ failed: false })}>
              Try again
            </button>
            <button type="button" className="button" onClick={this.props.onLeave}>
              Go to Import
            </button>
          </div>
        </div>
      </section>
    );
  }
}
