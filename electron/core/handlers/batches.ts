/** The batches area: start, pause, resume, stop and retry a batch, and its summary; the supervisor does each. */
import type { AreaHandlers, HandlerContext } from './context';

type BatchChannel = 'batch.start' | 'batch.summary' | 'batch.pause' | 'batch.resume' | 'batch.stop' | 'batch.retryFailed';

export function batchHandlers({ supervisor }: HandlerContext): AreaHandlers<BatchChannel> {
  return {
    'batch.start': async ({ batchId }) => supervisor.start(batchId),
    'batch.summary': async ({ batchId }) => supervisor.summary(batchId),
    'batch.pause': async ({ batchId }) => supervisor.pause(batchId),
    'batch.resume': async ({ batchId }) => supervisor.resume(batchId),
    'batch.stop': async ({ batchId }) => supervisor.stop(batchId),
    'batch.retryFailed': async ({ batchId, scope }) => supervisor.retryFailed(batchId, scope),
  };
}
