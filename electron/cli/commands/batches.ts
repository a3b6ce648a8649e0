/**
 * The batches on the command line: `batches` lists them newest first with their items per state,
 * and `stop --batch ID` makes sure a batch's items not sent yet are never sent.
 */
import { ITEM_STATES } from '../../../shared/domain';
import { listBatches } from '../../core/history';
import { batchCounts } from '../../core/queue/counts';
import { stopQueued } from '../../core/queue/store';
import { EXIT, noPositionals, requireBatch, type Context } from '../context';

export function batches({ db, out, positionals }: Context): number {
  noPositionals(positionals);
  const { total } = listBatches(db, { limit: 0 });
  const list = listBatches(db, { limit: total }).batches.map((batch) => ({
    batchId: batch.id,
    createdAt: batch.createdAt,
    sourceName: batch.sourceName,
    action: batch.action,
    accounts: batch.accounts,
    state: batch.state,
    total: batch.total,
    counts: batch.counts,
  }));
  out.result(list, () =>
    list.length
      ? list.map((batch) => {
          const counts = ITEM_STATES.filter((state) => batch.counts[state] > 0).map((state) => `${batch.counts[state]} ${state}`);
          return [
            batch.batchId,
            batch.createdAt,
            batch.sourceName ?? '(no file)',
            batch.action,
            batch.state,
            `${batch.total} item(s): ${counts.join(', ') || 'none'}`,
          ].join('\t');
        })
      : ['No batches yet. Queue one with: bulk-cancel import FILE'],
  );
  return EXIT.done;
}

export function stop({ db, log, out, values, positionals }: Context): number {
  noPositionals(positionals);
  const batchId = requireBatch(db, values);
  // Items a run is sending right now are in flight, not queued: they finish and keep their answers.
  const stopped = stopQueued(db, batchId, Date.now());
  const counts = batchCounts(db, batchId);
  log.info('batch stopped', { batch: batchId, ...counts });
  out.result({ batchId, stopped }, () => [
    `Batch ${batchId}: ${stopped} item(s) not sent yet are stopped and will never be sent.`,
    ...(counts.in_flight ? [`${counts.in_flight} item(s) a run is sending right now finish as usual.`] : []),
  ]);
  return EXIT.done;
}
