/**
 * One Tab stop for a row of buttons (the results tiles, the reasons of the chart): the arrow keys,
 * Home and End move between them, so the clerk tabs past the group in one step.
 */
import { useState, type KeyboardEvent } from 'react';

export function useRoving(count: number) {
  const [at, setAt] = useState(0);
  const current = Math.min(at, Math.max(0, count - 1));
  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    const moves: Record<string, number> = {
      ArrowLeft: current - 1,
      ArrowUp: current - 1,
      ArrowRight: current + 1,
      ArrowDown: current + 1,
      Home: 0,
      End: count - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(count - 1, moves[event.key] ?? current));
    setAt(next);
    event.currentTarget.querySelectorAll<HTMLElement>('[data-roving]')[next]?.focus();
  }
  return {
    onKeyDown,
    /** The props of the button at `index`: only the current one is in the tab order. */
    item: (index: number) => ({ 'data-roving': true, tabIndex: index === current ? 0 : -1, onFocus: () => setAt(index) }),
  };
}
