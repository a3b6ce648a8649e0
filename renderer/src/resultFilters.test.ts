import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../shared/contract';
import { NO_FILTERS, filterResults, searchTexts, toResultFilter, type ResultFilters } from './resultFilters';

const row = (id: number, over: Partial<ResultRow>): ResultRow => ({
  id,
  Data: `EC-000-000-00${id}`,
  IsSuccess: true,
  Message: 'Consignment cancelled.',
  ApiLinks: null,
  Reason: 'cancelled',
  State: 'succeeded',
  Provider: 'electio',
  Account: 'Electio UK',
  Action: 'cancel',
  HttpStatus: 200,
  Attempts: 1,
  CompletedAt: null,
  ...over,
});

const rows = [
  row(1, {}),
  row(2, { State: 'failed', IsSuccess: false, Reason: 'too_late', Message: 'Manifested already' }),
  row(3, { Provider: 'sorted-pro', Account: 'Sorted North', Data: 'sp_1' }),
  row(4, { State: 'queued', Reason: null, Message: '' }),
  row(5, { State: 'pending', IsSuccess: false, Reason: 'queued', Provider: 'sendcloud', Account: 'Shop' }),
];
const texts = searchTexts(rows);
const ids = (filters: Partial<ResultFilters>) => filterResults(rows, texts, { ...NO_FILTERS, ...filters }).map((r) => r.id);

describe('results filters (on screen, and for exports)', () => {
  it('keep rows by outcome, reason, provider, account and free text, in the order given', () => {
    expect(ids({})).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ outcome: 'failed' })).toEqual([2]);
    expect(ids({ outcome: 'unfinished' })).toEqual([4]);
    expect(ids({ outcome: 'pending' })).toEqual([5]);
    expect(ids({ reason: 'cancelled' })).toEqual([1, 3]);
    expect(ids({ provider: 'sorted-pro' })).toEqual([3]);
    expect(ids({ account: 'Shop' })).toEqual([5]);
    expect(ids({ search: 'MANIFESTED' })).toEqual([2]);
    expect(ids({ search: 'north' })).toEqual([3]);
    expect(ids({ outcome: 'succeeded', provider: 'electio' })).toEqual([1]);
  });

  it('tell main the same filter for exports, leaving out what is not filtered', () => {
    expect(toResultFilter(NO_FILTERS)).toEqual({});
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
