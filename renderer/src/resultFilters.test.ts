import { describe, expect, it } from 'vitest';
import type { ResultsOverview } from '../../shared/contract';
import { NO_FILTERS, countReasons, countStates, presentReasons, toResultFilter } from './resultFilters';

const outcomes: ResultsOverview['outcomes'] = [
  { state: 'succeeded', reason: 'cancelled', count: 90 },
  { state: 'failed', reason: 'too_late', count: 4 },
  { state: 'failed', reason: 'cancelled', count: 1 },
  { state: 'pending', reason: 'queued', count: 3 },
  { state: 'queued', reason: null, count: 2 },
  { state: 'in_flight', reason: null, count: 1 },
  { state: 'stopped', reason: null, count: 5 },
];

describe('results filters (on screen, and for exports)', () => {
  it('tell main the same filter for the table and for exports, leaving out what is not filtered', () => {
    expect(toResultFilter(NO_FILTERS)).toEqual({});
    expect(toResultFilter({ ...NO_FILTERS, outcome: 'failed' })).toEqual({ states: ['failed'] });
    expect(
      toResultFilter({ outcome: 'unfinished', reason: 'too_late', provider: 'electio', account: 'Electio UK', search: '  x ' }),
    ).toEqual({
      states: ['queued', 'in_flight'],
      reasons: ['too_late'],
      providers: ['electio'],
      accounts: ['Electio UK'],
      search: 'x',
    });
  });
});

describe('the overview main counts', () => {
  it('gives the items per state and the reasons present, in their usual order', () => {
    expect(countStates(outcomes)).toEqual({ succeeded: 90, failed: 5, pending: 3, queued: 2, in_flight: 1, stopped: 5 });
    expect(presentReasons(outcomes)).toEqual(['cancelled', 'queued', 'too_late']);
  });

  it('charts reasons most first, toned by most of their items, then those not sent yet and those stopped', () => {
    expect(countReasons(outcomes).map(({ key, count, tone }) => [key, count, tone])).toEqual([
      ['cancelled', 91, 'ok'],
      ['too_late', 4, 'bad'],
      ['queued', 3, 'pending'],
      ['waiting', 3, 'waiting'],
      ['stopped', 5, 'stopped'],
    ]);
  });
});
