/**
 * How long a batch still takes, per account lane: each account sends at its own pace (Sendcloud's
 * 100 a minute is not Electio's lists of 100), so the batch's time left is its slowest lane's. A lane's
 * speed is what it was measured to do over the last seconds, never more than its pace allows; before
 * there is a measure, its pace. The batch is done by now + the longest lane.
 */
import type { TimeLeft } from '../../../shared/contract';
import type { ProviderId } from '../../../shared/domain';
import { ratePerMinute, type Account } from '../accounts';
import type { Db } from '../db/open';
import { PROVIDERS } from '../providers/catalog';

/** Speed is measured over this much recent time, so a slow patch or a pause fades out of it. */
export const RATE_WINDOW_MS = 20_000;
/** Less measured time than this gives no measure yet: the lane's pace stands in. */
export const RATE_MIN_SPAN_MS = 3_000;

/** One account's part of a batch: its items still waiting, and the most it can do a minute. */
export interface Lane {
  accountId: string;
  accountName: string;
  provider: ProviderId;
  waiting: number;
  /** Items a minute its pace allows (requests a minute, times the items a request carries). */
  pacePerMinute: number;
}

/** The batch's lanes with items still waiting, read from the database. */
export function batchLanes(db: Db, batchId: string, chunkSize: number, pacing: boolean): Lane[] {
  const rows = db
    .prepare(
      `SELECT a.id AS id, a.name AS name, a.provider AS provider, a.settings AS settings, COUNT(*) AS waiting
       FROM items i JOIN accounts a ON a.key = i.account_key
       WHERE i.batch_key = (SELECT key FROM batches WHERE id = ?) AND i.state IN ('queued', 'in_flight')
       GROUP BY i.account_key`,
    )
    .all(batchId) as { id: string; name: string; provider: ProviderId; settings: string; waiting: number }[];
  return rows.map((row) =>
    laneOf({ id: row.id, name: row.name, provider: row.provider, baseUrl: '', settings: JSON.parse(row.settings) }, row.waiting, {
      chunkSize,
      pacing,
    }),
  );
}

/**
 * The time a list would take before it is queued, for the Confirm screen: its routes as lanes, each
 * at its account's pace (nothing is measured yet). Null when a lane has no pace (pacing is off).
 */
export function plannedTimeLeft(
  routes: readonly { accountId: string; items: number }[],
  accounts: readonly Account[],
  options: { chunkSize: number; pacing: boolean },
  at: number,
): TimeLeft | null {
  const lanes = routes.flatMap((route) => {
    const account = accounts.find((candidate) => candidate.id === route.accountId);
    return account ? [laneOf(account, route.items, options)] : [];
  });
  return timeLeftEstimator().estimate(lanes, at);
}

function laneOf(account: Account, waiting: number, { chunkSize, pacing }: { chunkSize: number; pacing: boolean }): Lane {
  const perRequest = PROVIDERS[account.provider].bulk ? chunkSize : 1;
  return {
    accountId: account.id,
    accountName: account.name,
    provider: account.provider,
    waiting,
    pacePerMinute: pacing ? ratePerMinute(account) * perRequest : Infinity,
  };
}

interface Sample {
  at: number;
  waiting: ReadonlyMap<string, number>;
}

export interface TimeLeftEstimator {
  /** The lanes as they are at `at`: remembered for the measure, and the estimate from them. */
  estimate(lanes: readonly Lane[], at: number): TimeLeft | null;
}

/** Keeps a batch's recent lane counts and answers its time left from them. */
export function timeLeftEstimator(): TimeLeftEstimator {
  let samples: Sample[] = [];
  return {
    estimate(lanes, at) {
      const waiting = new Map(lanes.map((lane) => [lane.accountId, lane.waiting]));
      const total = lanes.reduce((sum, lane) => sum + lane.waiting, 0);
      // Items put back in the queue (retry failed) make the earlier counts no measure of speed.
      const grew = samples.some((sample) => [...waiting].some(([id, n]) => n > (sample.waiting.get(id) ?? 0)));
      samples = grew ? [] : samples.filter((sample) => at - sample.at <= RATE_WINDOW_MS);
      samples.push({ at, waiting });
      if (total === 0) return null;
      const oldest = samples[0];
      const span = oldest ? at - oldest.at : 0;
      const laneTimes = lanes
        .filter((lane) => lane.waiting > 0)
        .map((lane) => {
          const done = (oldest?.waiting.get(lane.accountId) ?? lane.waiting) - lane.waiting;
          const measured = span >= RATE_MIN_SPAN_MS && done > 0 ? (done / span) * 60_000 : null;
          const perMinute = Math.min(measured ?? Infinity, lane.pacePerMinute);
          const seconds = Number.isFinite(perMinute) ? (lane.waiting / perMinute) * 60 : null;
          return { accountName: lane.accountName, provider: lane.provider, waiting: lane.waiting, seconds };
        });
      const known = laneTimes.map((lane) => lane.seconds).filter((seconds): seconds is number => seconds !== null);
      if (known.length < laneTimes.length) return null;
      const seconds = Math.max(0, ...known);
      return {
        seconds,
        doneBy: new Date(at + seconds * 1000).toISOString(),
        lanes: laneTimes.map((lane) => ({ ...lane, seconds: lane.seconds ?? 0 })),
      };
    },
  };
}
