// Figure 7: the real renderer in Chromium on a real core: import and run 100,000 rows, then time the Results table and scroll it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { withSessionFallback } from '../electron/core/credentials/session';
import { dispatch } from '../electron/core/dispatch';
import { createService } from '../electron/core/service';
import { ELECTIO_DEFAULT_API_KEY } from '../tests/simulator';
import { electioCsv } from './import';
import { log, now, percentile, world } from './lib';
import { buildRenderer, serveDir } from './renderer-serve';
import type { SimHandle } from './sim';
import { nodeTransport } from '../electron/core/providers/node-transport';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RendererFigures {
  rows: number;
  /** Click on "See results" → first result rows painted (the frame after they are in the DOM). */
  firstRenderMs: number;
  firstRender: {
    /** The first page of rows (`results.page`): time in the core, JSON.stringify, transfer and JSON.parse. */
    page: CallSplit;
    /** The counts for the summary and the chart (`results.overview`), asked at the same time. */
    overview: CallSplit;
    /** From the last answer the screen waited for to the paint. */
    renderMs: number;
    /** Bridge calls from the click to the paint, in ms from the click. */
    calls: { channel: string; startMs: number; doneMs: number }[];
  };
  longTasksDuringFirstRender: number;
  scrollFrames: number;
  scrollP50Ms: number;
  scrollP95Ms: number;
  scrollMaxMs: number;
  lateFrames: number;
  longTasksDuringScroll: number;
  longestTaskDuringScrollMs: number;
  lastRowShown: number;
  /** Pages of rows the table asked for while scrolling, and the p95 of their round trips. */
  scrollPages: number;
  scrollPageP95Ms: number;
  /** Main-thread time per scrolled frame: all tasks, of which script, and style + layout. */
  scrollBusyMsPerFrame: { task: number; script: number; layout: number };
  /** The clerk's path before it, through the same UI: file chosen → preview shown; confirm → all sent. */
  ui: { previewMs: number; runMs: number };
}

export interface CallSplit {
  coreMs: number;
  stringifyMs: number;
  transferMs: number;
  parseMs: number;
  bytes: number;
}

interface PageCall {
  channel: string;
  start: number;
  arrived: number;
  parsed: number;
  bytes: number;
}
interface ScrollResult {
  intervals: number[];
  longTasks: { start: number; duration: number }[];
  scrollTop: number;
  lastRowShown: number;
  /** Round trips of the `results.page` calls made while scrolling. */
  pages: number[];
}

const digitsOf = (testId: string, expected: string) =>
  `(document.querySelector('[data-testid="${testId}"]')?.textContent ?? '').replace(/\\D/g, '') === '${expected}'`;

export async function benchRenderer(sim: SimHandle, rows = 100_000): Promise<RendererFigures> {
  // BENCH_RENDERER_DIR measures a renderer built elsewhere (out/renderer, or a patched copy) instead of building one.
  const given = process.env.BENCH_RENDERER_DIR;
  const dir = given ?? (await buildRenderer());
  const w = world();
  const core: { channel: string; dispatchMs: number; stringifyMs: number }[] = [];
  const service = createService({
    db: w.db,
    credentials: withSessionFallback(w.credentials),
    transport: nodeTransport,
    owner: 'bench-renderer',
    runOptions: { pacing: false, concurrency: 16 },
  });
  const site = await serveDir(dir, async (channel, payload) => {
    const t0 = now();
    const reply = await dispatch(service.handlers, channel, payload);
    const t1 = now();
    const text = JSON.stringify(reply);
    core.push({ channel: String(channel), dispatchMs: t1 - t0, stringifyMs: now() - t1 });
    return text;
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    await w.account('electio', sim.url, ELECTIO_DEFAULT_API_KEY, 'Electio UK');
    const from = 1_300_000;
    await sim.call({ op: 'add', provider: 'electio', from, count: rows });
    await sim.call({ op: 'latency', ms: 1 });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    service.onEvent((event, payload) => {
      page.evaluate(`window.__bulkCancelEmit(${JSON.stringify(event)}, ${JSON.stringify(payload)})`).catch(() => undefined);
    });
    await page.addInitScript({ content: await readFile(new URL('./page-probe.js', import.meta.url), 'utf8') });
    await page.goto(site.url);
    const ui = await importThroughUi(page, rows, from);
    log(
      `renderer: ${rows} rows imported and sent through the UI (preview ${ui.previewMs.toFixed(0)} ms, run ${ui.runMs.toFixed(0)} ms)`,
    );

    // The core now holds a finished 100,000-item batch: open Results and time it.
    await page.evaluate(`window.__bench.arm('see-results')`);
    const profiler = await pageProfiler(page, browser);
    core.length = 0;
    await page.getByTestId('see-results').click();
    await until(page, 'window.__bench.paintedAt !== null', 120_000);
    const marks = (await page.evaluate(
      `({ clickAt: window.__bench.clickAt, rowsAt: window.__bench.rowsAt, paintedAt: window.__bench.paintedAt,
          calls: window.__bench.calls, longTasks: window.__bench.longTasks })`,
    )) as {
      clickAt: number;
      rowsAt: number;
      paintedAt: number;
      calls: PageCall[];
      longTasks: { start: number; duration: number }[];
    };
    // The screen asks for the overview, the batch summary and the first page of rows at once; rows show when the page is back.
    const opening = ['results.page', 'results.overview', 'batch.summary'].map((channel) => {
      const call = marks.calls.find((entry) => entry.channel === channel && entry.start >= marks.clickAt);
      const inCore = core.find((entry) => entry.channel === channel);
      if (!call || !inCore) throw new Error(`The Results screen did not ask for ${channel}.`);
      return { call, inCore };
    });
    const split = ({ call, inCore }: (typeof opening)[number]): CallSplit => ({
      coreMs: inCore.dispatchMs,
      stringifyMs: inCore.stringifyMs,
      transferMs: call.arrived - call.start - inCore.dispatchMs - inCore.stringifyMs,
      parseMs: call.parsed - call.arrived,
      bytes: call.bytes,
    });
    const lastData = Math.max(...opening.map(({ call }) => call.parsed).filter((parsed) => parsed <= marks.rowsAt));
    const callsAfterClick = marks.calls
      .filter((call) => call.start >= marks.clickAt && call.start <= marks.paintedAt)
      .map((call) => ({ channel: call.channel, startMs: call.start - marks.clickAt, doneMs: call.parsed - marks.clickAt }));
    const firstRenderMs = marks.paintedAt - marks.clickAt;

    await profiler.save('first-render');
    await page.waitForTimeout(500);
    // Main-thread time the page spent (Chromium's own counters): unlike frame intervals, it does not depend on the machine's load.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await busy(cdp);
    const scroll = (await page.evaluate(
      `window.__bench.scroll({ frames: 240, step: 96, jumps: 60, jump: 2400 })`,
    )) as ScrollResult;
    const after = await busy(cdp);
    await profiler.save('scroll');
    return {
      rows,
      firstRenderMs,
      firstRender: {
        page: split(opening[0]!),
        overview: split(opening[1]!),
        renderMs: marks.paintedAt - lastData,
        calls: callsAfterClick,
      },
      longTasksDuringFirstRender: marks.longTasks.filter(
        (t) => t.start + t.duration >= marks.clickAt && t.start <= marks.paintedAt,
      ).length,
      scrollFrames: scroll.intervals.length,
      scrollP50Ms: percentile(scroll.intervals, 50),
      scrollP95Ms: percentile(scroll.intervals, 95),
      scrollMaxMs: Math.max(...scroll.intervals),
      // An interval over one and a half frames (60 Hz) is a frame shown late.
      lateFrames: scroll.intervals.filter((ms) => ms > 25).length,
      longTasksDuringScroll: scroll.longTasks.length,
      longestTaskDuringScrollMs: Math.max(0, ...scroll.longTasks.map((t) => t.duration)),
      lastRowShown: scroll.lastRowShown,
      scrollPages: scroll.pages.length,
      scrollPageP95Ms: scroll.pages.length ? percentile(scroll.pages, 95) : 0,
      scrollBusyMsPerFrame: {
        task: (after.TaskDuration - before.TaskDuration) / scroll.intervals.length,
        script: (after.ScriptDuration - before.ScriptDuration) / scroll.intervals.length,
        layout:
          (after.LayoutDuration + after.RecalcStyleDuration - before.LayoutDuration - before.RecalcStyleDuration) /
          scroll.intervals.length,
      },
      ui,
    };
  } finally {
    await browser.close();
    await service.close();
    await site.close();
    w.close();
    if (!given) await rm(dir, { recursive: true, force: true });
  }
}

/** The clerk's way in: choose the file, check the preview, confirm (large lists ask twice), wait until all are sent. */
async function importThroughUi(page: Page, rows: number, from: number): Promise<{ previewMs: number; runMs: number }> {
  await page.getByTestId('file-input').waitFor({ state: 'attached', timeout: 30_000 });
  const t0 = now();
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'peak-day.csv', mimeType: 'text/csv', buffer: Buffer.from(electioCsv(rows, from)) });
  await until(page, digitsOf('preview-items', String(rows)), 60_000);
  const previewMs = now() - t0;
  const large = page.getByTestId('confirm-large');
  if (await large.count()) await large.check();
  const t1 = now();
  await page.getByTestId('confirm-button').click();
  await until(page, digitsOf('progress-done', `${rows}${rows}`), 120_000);
  return { previewMs, runMs: now() - t1 };
}

/** Chromium's cumulative main-thread counters (seconds there), in milliseconds. */
async function busy(
  cdp: CDPSession,
): Promise<Record<'TaskDuration' | 'ScriptDuration' | 'LayoutDuration' | 'RecalcStyleDuration', number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name: string) => (metrics.find((metric) => metric.name === name)?.value ?? 0) * 1000;
  return {
    TaskDuration: get('TaskDuration'),
    ScriptDuration: get('ScriptDuration'),
    LayoutDuration: get('LayoutDuration'),
    RecalcStyleDuration: get('RecalcStyleDuration'),
  };
}

/** Polls an expression from outside: the app's CSP forbids the eval that page.waitForFunction needs for a string. */
async function until(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}

/** With BENCH_PROFILE=dir, the page's main thread is profiled and each phase saved there as a .cpuprofile (open in DevTools). */
async function pageProfiler(page: Page, browser: Browser): Promise<{ save(name: string): Promise<void> }> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return { save: async () => undefined };
  await mkdir(dir, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  const start = async () => {
    await cdp.send('Profiler.start');
    await browser.startTracing(page, { screenshots: false });
  };
  await start();
  return {
    async save(name) {
      const { profile } = await cdp.send('Profiler.stop');
      await writeFile(join(dir, `renderer-${name}.cpuprofile`), JSON.stringify(profile));
      await writeFile(join(dir, `renderer-${name}.trace.json`), await browser.stopTracing());
      await start();
    },
  };
}
