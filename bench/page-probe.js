// Page side of figure 7, injected before the app loads: the bridge to the core (same-origin HTTP standing in for IPC) and the clocks.
/* global window, document, MutationObserver, requestAnimationFrame, getComputedStyle */
(() => {
  const bench = { longTasks: [], calls: [], clickAt: null, rowsAt: null, paintedAt: null };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });

  /** A file's bytes for the JSON bridge (IPC carries them as they are). */
  const base64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };

  const listeners = new Map();
  window.__bulkCancelEmit = (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload));
  window.bulkCancel = {
    async invoke(channel, request) {
      const start = performance.now();
      const body = JSON.stringify({ channel, payload: request }, (_key, value) =>
        value instanceof Uint8Array ? { __bytes: base64(value) } : value,
      );
      const response = await fetch('/__bench/invoke', { method: 'POST', body });
      const text = await response.text();
      const arrived = performance.now();
      const value = JSON.parse(text);
      bench.calls.push({ channel, start, arrived, parsed: performance.now(), bytes: text.length });
      return value;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };

  /** First render: the click that opens Results, the first result rows in the DOM (not rows still loading), then the frame that shows them. */
  bench.arm = (testId) => {
    document.addEventListener(
      'click',
      (event) => {
        if (bench.clickAt === null && event.target.closest?.(`[data-testid="${testId}"]`)) bench.clickAt = event.timeStamp;
      },
      { capture: true },
    );
    const observer = new MutationObserver(() => {
      if (bench.clickAt === null || !document.querySelector('[data-testid="results-row"]')) return;
      bench.rowsAt = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (bench.paintedAt = performance.now()), 0));
    });
    observer.observe(document.body, { childList: true, subtree: true });
  };

  /** Scrolls the results grid one step per animation frame and returns the frame intervals and long tasks meanwhile. */
  bench.scroll = async ({ frames, step, jumps, jump }) => {
    const table = document.querySelector('[data-testid="results-table"]');
    const scroller = [table, ...table.querySelectorAll('*')].find(
      (el) => el.scrollHeight > el.clientHeight + 10 && /(auto|scroll)/.test(getComputedStyle(el).overflowY),
    );
    const stamps = [];
    const start = performance.now();
    await new Promise((resolve) => {
      let n = 0;
      const tick = (at) => {
        stamps.push(at);
        scroller.scrollTop += n < frames ? step : jump;
        if (++n < frames + jumps) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    const end = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const shown = [...document.querySelectorAll('[data-testid="results-row"]')].map((row) => Number(row.dataset.rowIndex));
    return {
      intervals: stamps.slice(1).map((at, i) => at - stamps[i]),
      longTasks: bench.longTasks.filter((task) => task.start + task.duration >= start && task.start <= end),
      scrollTop: scroller.scrollTop,
      lastRowShown: Math.max(...shown),
      pages: bench.calls
        .filter((call) => call.channel === 'results.page' && call.start >= start && call.start <= end)
        .map((call) => call.parsed - call.start),
    };
  };
})();
