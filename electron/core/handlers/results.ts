/** The results area: a batch's results by page, by id and in overview, and one item's attempts. */
import { listAttempts, pageResults, resultIds, resultsOverview } from '../results';
import type { AreaHandlers, HandlerContext } from './context';

type ResultChannel = 'item.attempts' | 'results.overview' | 'results.page' | 'results.ids';

export function resultHandlers({ db }: HandlerContext): AreaHandlers<ResultChannel> {
  return {
    'item.attempts': async ({ itemId }) => listAttempts(db, itemId),
    'results.overview': async ({ batchId }) => resultsOverview(db, batchId),
    'results.page': async ({ batchId, ...window }) => pageResults(db, batchId, window),
    'results.ids': async ({ batchId, ...window }) => resultIds(db, batchId, window),
  };
}
