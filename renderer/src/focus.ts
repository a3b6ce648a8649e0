/**
 * Where keyboard focus goes when the screen changes under it: to the new screen's heading after each
 * step, and, when the element that had focus disappears or is disabled (a list checked, a control
 * busy), to the heading of the screen it was on, never to the page itself, where a keyboard user
 * would have to start again from the top.
 */
import { useEffect, type RefObject } from 'react';

/** Frames to wait for a heading that is not drawn yet (a screen still loading). */
const HEADING_TRIES = 10;

/** Focuses the first heading (`h1`, or `level`) in `root`, made focusable by script, out of the tab order. */
export function focusHeading(root: HTMLElement | null, level: 'h1' | 'h2' = 'h1', tries = HEADING_TRIES): void {
  const heading = root?.querySelector<HTMLElement>(level);
  if (!heading) {
    if (tries > 0) requestAnimationFrame(() => focusHeading(root, level, tries - 1));
    return;
  }
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
  heading.focus({ preventScroll: false });
}

function lostFocus(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || active === document.documentElement;
}

/**
 * Watches `root`: an element inside it that loses focus because it left the page or was disabled
 * hands focus to the heading instead of the page. A click elsewhere is left alone.
 */
export function useFocusRescue(root: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    // An element disabled while focused loses focus without a focusout event in Chromium; removal does
    // send one. Both are checked on the next frame, when the page has settled.
    let last: HTMLElement | null = null;
    const check = () => {
      if (!last || !lostFocus()) return;
      const gone = !last.isConnected || (last as HTMLButtonElement).disabled === true;
      last = null;
      if (gone) focusHeading(element);
    };
    const focusIn = (event: FocusEvent) => {
      last = event.target instanceof HTMLElement ? event.target : null;
    };
    const focusOut = (event: FocusEvent) => {
      if (event.relatedTarget === null) requestAnimationFrame(check);
    };
    const observer = new MutationObserver(() => {
      if (last && lostFocus()) check();
    });
    observer.observe(element, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
    element.addEventListener('focusin', focusIn);
    element.addEventListener('focusout', focusOut);
    return () => {
      observer.disconnect();
      element.removeEventListener('focusin', focusIn);
      element.removeEventListener('focusout', focusOut);
    };
  }, [root]);
}
