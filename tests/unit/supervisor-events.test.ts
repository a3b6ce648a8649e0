/**
 * The supervisor's events (electron/core/batches/supervisor.ts, progress.ts) are the window's only
 * news of a batch: every control the clerk uses is reported, the last change of a burst is never
 * lost to throttling, and a quiet sending batch still reports every second.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchSummary } from '../../shared/contract';
import { PROGRESS_EVERY_MS, PROGRESS_QUIET_MS, progressReporter } from '../../electron/core/batches/progress';
import { dispatch } from '../../electron/core/dispatch';
import type { AppService } from '../../electron/core/service';
import { testService, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';
import { ref } from './helpers';

describe('progress events of a sending batch', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('reports a burst at once and its last change at the end of the interval, then once a second while quiet', () => {
    const emit = vi.fn();
    const progress = progressReporter(Date.now, emit);
    progress.changed();
    progress.changed();
    progress.changed();
    expect(emit).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(PROGRESS_EVERY_MS);
    expect(emit).toHaveBeenCalledTimes(2); // the last change of the burst
    vi.advanceTimersByTime(PROGRESS_QUIET_MS * 3);
    expect(emit).toHaveBeenCalledTimes(5); // nothing changed, but the window hears from it
    progress.stop();
    progress.changed();
    vi.advanceTimersByTime(PROGRESS_QUIET_MS * 3);
    expect(emit).toHaveBeenCalledTimes(5); // a run that ended reports nothing more
  });
});

describe("the clerk's controls are reported as events", () => {
  let world: TestWorld;
  let service: AppService;
  const events: BatchSummary[] = [];

  beforeEach(() => {
    world = testWorld();
    service = testService(world, 'events', TRANSPORTS.undici);
    events.length = 0;
    service.onEvent((event, payload) => {
      if (event === 'batch.progress') events.push(payload);
    });
  });
  afterEach(async () => {
    await service.close();
    await world.close();
  });

  async function call<T>(channel: string, payload: unknown): Promise<T> {
    const reply = await dispatch(service.handlers, channel, payload);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value as T;
  }

  it('pause and stop of a batch that is not sending each send its new summary', async () => {
    await call('accounts.add', { provider: 'electio', name: 'E', baseUrl: 'http://127.0.0.1:9', secret: 'k' });
    const { draftId } = await call<{ draftId: string }>('import.preview', {
      source: { kind: 'text', fileName: null, text: [ref(1), ref(2)].join('\n') },
    });
    const { batchId } = await call<{ batchId: string }>('import.confirm', { draftId, accounts: {} });
    const paused = await call<BatchSummary>('batch.pause', { batchId });
    expect(events.at(-1)).toEqual(paused);
    expect(paused.paused).toBe(true);
    const stopped = await call<BatchSummary>('batch.stop', { batchId });
    expect(events.at(-1)).toEqual(stopped);
    expect(stopped.counts.stopped).toBe(2);
  });
});
