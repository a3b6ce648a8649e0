/** The history area: every batch, where a reference went, and deleting a finished batch's history. */
import { AppError } from '../errors';
import { deleteBatch, findReference, listBatches } from '../history';
import type { AreaHandlers, HandlerContext } from './context';

type HistoryChannel = 'history.list' | 'history.findReference' | 'batch.delete';

export function historyHandlers({ db, supervisor }: HandlerContext): AreaHandlers<HistoryChannel> {
  return {
    'history.list': async ({ reference, limit, offset }) => listBatches(db, { reference, limit, offset }),
    'history.findReference': async ({ reference }) => findReference(db, reference),
    'batch.delete': async ({ batchId }) => {
      if (supervisor.isRunning(batchId))
        throw new AppError('conflict', 'This batch is being sent right now. Stop it or let it finish, then delete its history.');
      deleteBatch(db, batchId);
      return { deleted: true };
    },
  };
}
