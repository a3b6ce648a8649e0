/**
 * The results table's rows, asked of main a page at a time as they come into view: main filters and
 * sorts in the database, so the page holds only the rows near the screen, never the whole batch.
 * Pages are kept until the filter, the sort or the data change; answers to an earlier question are
 * dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResultFilter, ResultRow, ResultSort } from '../../shared/contract';
import { call, messageOf } from './api';

/** Rows per question to main: a few screens' worth. */
const PAGE_SIZE = 100;
/** Questions to main awaiting an answer at once. */
const AT_ONCE = 2;

/** What the table shows: the batch, its filter and sort, and a count of reloads (Refresh, new results). */
export interface ResultQuery {
  batchId: string;
  filter: ResultFilter;
  sort: ResultSort | null;
  version: number;
}

export interface ResultPages {
  /** Rows the filter selects: null until main first answers; while a new question is out, the last answer. */
  total: number | null;
  /** Why a page could not be read (Try again reloads). */
  error: string | null;
  /** The row at an index, or undefined while its page is on its way. */
  rowAt(index: number): ResultRow | undefined;
  /** The view now shows rows `first` to `last`: their pages that are not here are asked for, and no others. */
  want(first: number, last: number): void;
  /** Where a row is among the rows at hand, or -1. */
  indexOf(id: number): number;
  /** The ids of the rows from index `from` to `to` (either order): from the pages at hand, else from main. */
  idsBetween(from: number, to: number): Promise<number[]>;
}

interface Loaded {
  key: string;
  total: number | null;
  pages: ReadonlyMap<number, readonly ResultRow[]>;
  error: string | null;
}

interface Asking {
  key: string;
  asked: Set<number>;
  wanted: number[];
  busy: number;
}

const NO_PAGES: ReadonlyMap<number, readonly ResultRow[]> = new Map();

export function useResultPages(query: ResultQuery): ResultPages {
  const { batchId, filter, sort, version } = query;
  const key = JSON.stringify([batchId, filter, sort, version]);
  const [loaded, setLoaded] = useState<Loaded>({ key, total: null, pages: NO_PAGES, error: null });
  /** The question being asked now: the pages asked for, those the view wants, and how many answers are awaited. */
  const asking = useRef<Asking>({ key: '', asked: new Set(), wanted: [], busy: 0 });
  // A new question: keep the last total (so the table keeps its height) but none of the rows.
  const current = loaded.key === key ? loaded : { key, total: loaded.total, pages: NO_PAGES, error: null };

  /** Asks for the pages wanted now, a few at a time: pages the view only flew past are never asked for. */
  const ask = useCallback(
    (state: Asking) => {
      while (state.busy < AT_ONCE) {
        const page = state.wanted.find((wanted) => !state.asked.has(wanted));
        if (page === undefined) return;
        state.asked.add(page);
        state.busy += 1;
        const window = { batchId, filter, ...(sort ? { sort } : {}), offset: page * PAGE_SIZE, limit: PAGE_SIZE };
        call('results.page', window)
          .then(
            ({ rows, total }) =>
              setLoaded((prev) => {
                if (asking.current !== state) return prev;
                const kept = prev.key === key ? prev.pages : NO_PAGES;
                return { key, total, pages: new Map(kept).set(page, rows), error: null };
              }),
            (failure: unknown) => {
              // The page stays asked for: Try again asks the whole question again.
              if (asking.current !== state) return;
              setLoaded((prev) => ({
                ...(prev.key === key ? prev : { key, total: prev.total, pages: NO_PAGES }),
                error: messageOf(failure),
              }));
            },
          )
          .finally(() => {
            state.busy -= 1;
            if (asking.current === state) ask(state);
          });
      }
    },
    [key, batchId, filter, sort],
  );

  const { pages } = current;
  const rowAt = useCallback((index: number) => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);

  const want = useCallback(
    (first: number, last: number) => {
      if (asking.current.key !== key) asking.current = { key, asked: new Set(), wanted: [], busy: 0 };
      const wanted: number[] = [];
      for (let page = Math.floor(Math.max(0, first) / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (!pages.has(page)) wanted.push(page);
      }
      asking.current.wanted = wanted;
      ask(asking.current);
    },
    [key, pages, ask],
  );

  // A new question, and no table in view to say which rows it wants yet: the first page (it answers the total too).
  useEffect(() => {
    if (asking.current.key !== key) want(0, 0);
  }, [key, want]);

  const indexOf = useCallback(
    (id: number) => {
      for (const [page, rows] of pages) {
        const found = rows.findIndex((row) => row.id === id);
        if (found >= 0) return page * PAGE_SIZE + found;
      }
      return -1;
    },
    [pages],
  );

  const idsBetween = useCallback(
    async (from: number, to: number) => {
      const [start, end] = from <= to ? [from, to] : [to, from];
      const ids: number[] = [];
      for (let index = start; index <= end; index++) {
        const row = rowAt(index);
        if (!row) {
          const window = { batchId, filter, ...(sort ? { sort } : {}), offset: start, limit: end - start + 1 };
          return call('results.ids', window);
        }
        ids.push(row.id);
      }
      return ids;
    },
    [rowAt, batchId, filter, sort],
  );

  return { total: current.total, error: current.error, rowAt, want, indexOf, idsBetween };
}
