// Turns the figures into the table `npm run bench` prints (measure | value | target | pass?) and the rows of bench/results.json.
import type { CliFigures } from './cli';
import type { HistoryFigures } from './history';
import type { ImportFigures } from './import';
import type { MemoryFigures } from './memory';
import type { PaceFigures } from './pace';
import type { ScaleFigures } from './scale';
import type { QueueFigures } from './queue';
import type { CallSplit, RendererFigures } from './renderer';

export interface Figures {
  import?: ImportFigures;
  queue?: QueueFigures;
  memory?: MemoryFigures;
  renderer?: RendererFigures;
  history?: HistoryFigures;
  cli?: CliFigures;
  pace?: PaceFigures;
  scale?: ScaleFigures;
}

export interface Row {
  measure: string;
  value: string;
  target: string;
  /** null: a figure for context, with no target of its own. */
  pass: boolean | null;
}

const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function rows(f: Figures, errors: Record<string, string>): Row[] {
  const out: Row[] = [];
  const add = (measure: string, value: string, target: string, pass: boolean | null) =>
    out.push({ measure, value, target, pass });
  const failed = (name: string, measure: string) => errors[name] && add(measure, `error: ${errors[name]}`, '', false);
  if (f.import) {
    const i = f.import;
    add(
      `1. Import ${n(i.rows)}-row CSV, end to end`,
      `${n(i.rowsPerSecond)} rows/s`,
      '≥ 150,000 rows/s',
      i.rowsPerSecond >= 150_000,
    );
    add('   … time ÷ papaparse alone', `${n(i.ratioToPapaparse, 1)}× (${n(i.endToEndMs)} vs ${n(i.papaparseMs)} ms)`, '', null);
    add(
      '   … decode / parse+check / store',
      `${n(i.phases.decodeMs)} / ${n(i.phases.planMs)} / ${n(i.phases.queueMs)} ms`,
      '',
      null,
    );
    add('   … then, at idle: WAL checkpoint', `${n(i.checkpointMs)} ms (not in the figure)`, '', null);
  } else failed('import', '1. Import');
  if (f.queue) {
    const { efficiency: e, sequential: s, bulk: b, durability: d } = f.queue;
    add(
      `2. Queue efficiency (${n(e.items)} × ${e.latencyMs} ms, C=${e.concurrency}, median of 3)`,
      `${n(e.ratio, 2)} (${n(e.ms)} vs ideal ${n(e.idealMs)} ms)`,
      '≥ 0.9',
      e.ratio >= 0.9,
    );
    add('   … latency the simulator delivered', `${n(e.heldMs, 2)} ms mean (asked ${e.latencyMs})`, '', null);
    add('   … bare client (undici), same setup', `${n(e.bareRatio, 2)} (${n(e.bareMs)} ms)`, '', null);
    add('   … CPU per item: runner / bare client', `${n(e.cpuMsPerItem, 3)} / ${n(e.bareCpuMsPerItem, 3)} ms`, '', null);
    add(
      `3. Speed-up over one at a time (${n(s.items)})`,
      `${n(s.speedUp, 1)}× (${n(s.sequentialMs)} vs ${n(s.concurrentMs)} ms)`,
      '≥ 12× (ideal 16×)',
      s.speedUp >= 12,
    );
    add(
      `4. cancellist: fewer requests (${n(b.items)})`,
      `${n(b.fewerRequests, 1)}× (${n(b.bulkRequests)} vs ${n(b.singleRequests)})`,
      '≥ 50×',
      b.fewerRequests >= 50,
    );
    add('4. cancellist: faster', `${n(b.faster, 1)}× (${n(b.bulkMs)} vs ${n(b.singleMs)} ms)`, '≥ 10×', b.faster >= 10);
    add(
      `5. Durability FULL ÷ OFF (${n(d.items)} × 20 ms)`,
      `${n(d.ratio, 2)} (${n(d.fullPerSecond)} vs ${n(d.offPerSecond)} items/s)`,
      '≥ 0.8',
      d.ratio >= 0.8,
    );
    const z = d.atZeroLatency;
    add('   … at 0 ms latency', `${n(z.ratio, 2)} (${n(z.fullPerSecond)} vs ${n(z.offPerSecond)} items/s)`, '', null);
  } else failed('queue', '2–5. Queue');
  if (f.memory) {
    const { run, import: imported } = f.memory;
    const m = f.memory;
    add(
      `6. Peak RSS growth, ${n(m.items)}-item run`,
      `${n(run.growthMb, 1)} MiB (${n(run.ms)} ms, ${run.samples} samples; heap held after: ${n(run.heldMb, 1)} MiB)`,
      '< 150 MiB',
      run.growthMb < 150,
    );
    add('   … during its import', `${n(imported.growthMb, 1)} MiB (${n(imported.ms)} ms)`, '', null);
    add('   Database per 1,000,000 items (real run)', `${n(m.dbBytesPerItem)} MB (${n(m.dbBytesPerItem)} B/item)`, '', null);
  } else failed('memory', '6. Memory');
  if (f.renderer) {
    const r = f.renderer;
    const p = r.firstRender;
    add(`7. First render, ${n(r.rows)}-row Results`, `${n(r.firstRenderMs)} ms`, '< 300 ms', r.firstRenderMs < 300);
    const split = (c: CallSplit) =>
      `${n(c.coreMs)} / ${n(c.stringifyMs)} / ${n(c.transferMs)} / ${n(c.parseMs)} ms (${n(c.bytes / 1024)} kB)`;
    add('   … page: core / stringify / transfer / parse', split(p.page), '', null);
    add('   … overview (counts): core / … / parse', split(p.overview), '', null);
    add('   … render (last answer → painted)', `${n(p.renderMs)} ms`, '', null);
    add(
      `7. Scroll frame interval p95 (${r.scrollFrames} frames)`,
      `${n(r.scrollP95Ms, 1)} ms (max ${n(r.scrollMaxMs, 1)}, ${r.lateFrames} late; ${r.scrollPages} pages asked, p95 ${n(r.scrollPageP95Ms)} ms)`,
      '≤ 17 ms',
      r.scrollP95Ms <= 17,
    );
    add(
      '7. Long tasks during scroll',
      `${r.longTasksDuringScroll} (longest ${n(r.longestTaskDuringScrollMs)} ms)`,
      '0',
      r.longTasksDuringScroll === 0,
    );
  } else failed('renderer', '7. Renderer');
  if (f.history) {
    const h = f.history;
    add(`8. History exact search (${n(h.items)} items)`, `${n(h.exactMs, 2)} ms`, '< 50 ms', h.exactMs < 50);
    add('8. History prefix search', `${n(h.prefixMs, 2)} ms (miss ${n(h.missMs, 2)} ms)`, '< 50 ms', h.prefixMs < 50);
    add('   Database per 1,000,000 items (items only)', `${n(h.dbBytes / 1e6)} MB (${n(h.dbBytes / h.items)} B/item)`, '', null);
  } else failed('history', '8. History');
  commandRows(f, add, failed);
  return out;
}

type Add = (measure: string, value: string, target: string, pass: boolean | null) => void;

/** Figures 9–15: the command as a user runs it, the automatic pace, and cost as the work grows. */
function commandRows(f: Figures, add: Add, failed: (name: string, measure: string) => void): void {
  if (f.cli) {
    const { startup, import: i, runs, speedUp: s } = f.cli;
    for (const r of runs) {
      add(
        `9. bulk-cancel run ${n(r.items)} × ${r.latencyMs} ms, C=${r.concurrency} ÷ bare client`,
        `${n(r.ratio, 2)} (${n(r.ms)} vs ${n(r.bareMs)} ms; ideal ${n(r.idealMs)})`,
        '≥ 0.95',
        r.ratio >= 0.95,
      );
    }
    add(
      `10. bulk-cancel import ${n(i.rows)} rows, start to exit`,
      `${n(i.rowsPerSecond)} rows/s (${n(i.ms)} ms; bare parse ${n(i.bareParseMs)} ms; peak ${n(i.peakRssMb)} MiB)`,
      '≥ 200,000 rows/s',
      i.rowsPerSecond >= 200_000,
    );
    add(
      '11. CLI start-up (status --json)',
      `${n(startup.ms)} ms (node -e 0: ${n(startup.nodeMs)} ms)`,
      '≤ 150 ms',
      startup.ms <= 150,
    );
    add(
      `12. Speed-up over one at a time (${n(s.items)}), start to exit`,
      `${n(s.speedUp, 1)}× (${n(s.sequentialMs)} vs ${n(s.ms)} ms)`,
      '≥ 14×',
      s.speedUp >= 14,
    );
    add(
      '   … the bare client at the same concurrency, start to exit',
      `${n(s.bareSpeedUp, 1)}× (${n(s.bareMs)} ms; what this machine allows with nothing stored)`,
      '',
      null,
    );
  } else failed('cli', '9–12. Command');
  if (f.pace) {
    const { published: p, hidden: h } = f.pace;
    add(
      `13. Published limit (Sendcloud ×60: ${p.limitPerSecond}/s, bursts of 15)`,
      `${n(p.ratio, 2)} of the limit, ${p.refused} × 429 (${n(p.items)} items, ${n(p.ms)} ms)`,
      '≥ 0.95, 0 × 429',
      p.ratio >= 0.95 && p.refused === 0,
    );
    add(
      `14. Automatic pace, hidden limit ${h.limitPerSecond}/s (5× the start)`,
      `${n(h.ratio, 2)} of the limit, ${n(h.refusedShare * 100, 1)}% 429 (${h.refused} of ${n(h.items)})`,
      '≥ 0.9, ≤ 2%',
      h.ratio >= 0.9 && h.refusedShare <= 0.02,
    );
  } else failed('pace', '13–14. Pace');
  if (f.scale) scaleRows(f.scale, add);
  else failed('scale', '15. Scale');
}

function scaleRows({ steps, baseMb }: NonNullable<Figures['scale']>, add: Add): void {
  const first = steps[0];
  const last = steps.at(-1);
  for (const step of steps) {
    const perItem = (ms: number) => `${n((ms / step.items) * 1000, 1)} µs`;
    const memory = (mb: number) => `${n(mb)} MiB, ${n(((mb - baseMb) * 1024 * 1024) / step.items)} B/item`;
    add(
      `15. ${n(step.items)} items: import / run, per item`,
      `${perItem(step.importMs)} / ${perItem(step.runMs)} (peak ${memory(step.importPeakMb)} / ${memory(step.runPeakMb)})`,
      '',
      null,
    );
  }
  if (!first || !last || first === last) return;
  const growth = (key: 'importMs' | 'runMs') => last[key] / last.items / (first[key] / first.items);
  const [imports, runs] = [growth('importMs'), growth('runMs')];
  add(
    `15. Time per item, ${n(last.items)} ÷ ${n(first.items)}: import / run`,
    `${n(imports, 2)} / ${n(runs, 2)}`,
    '≤ 1.3',
    imports <= 1.3 && runs <= 1.3,
  );
}

export function table(list: readonly Row[]): string {
  const head: Row = { measure: 'measure', value: 'value', target: 'target', pass: null };
  const mark = (row: Row) => (row === head ? 'pass?' : row.pass === null ? '' : row.pass ? 'yes' : 'NO');
  const all = [head, ...list];
  const width = (key: 'measure' | 'value' | 'target') => Math.max(...all.map((row) => row[key].length));
  const [a, b, c] = [width('measure'), width('value'), width('target')];
  const line = (row: Row) =>
    `| ${row.measure.padEnd(a)} | ${row.value.padEnd(b)} | ${row.target.padEnd(c)} | ${mark(row).padEnd(5)} |`;
  return [line(head), `|${'-'.repeat(a + 2)}|${'-'.repeat(b + 2)}|${'-'.repeat(c + 2)}|-------|`, ...list.map(line)].join('\n');
}
