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
export const PAGE_SIZE = 100;

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
  /** Asks for the pages holding rows `first` to `last` that are neither here nor asked for. */
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

const NO_PAGES: ReadonlyMap<number, readonly ResultRow[]> = new Map();

export function useResultPages(query: ResultQuery): ResultPages {
  const { batchId, filter, sort, version } = query;
  const key = JSON.stringify([batchId, filter, sort, version]);
  const [loaded, setLoaded] = useState<Loaded>({ key, total: null, pages: NO_PAGES, error: null });
  /** The question being asked now and the pages asked for it. */
  const asked = useRef<{ key: string; pages: Set<number> }>({ key, pages: new Set() });
  // A new question: keep the last total (so the table keeps its height) but none of the rows.
  const current = loaded.key === key ? loaded : { key, total: loaded.total, pages: NO_PAGES, error: null };

  const fetchPage = useCallback(
    (page: number) => {
      if (asked.current.key !== key) asked.current = { key, pages: new Set() };
      const pages = asked.current.pages;
      if (pages.has(page)) return;
      pages.add(page);
      const window = { batchId, filter, ...(sort ? { sort } : {}), offset: page * PAGE_SIZE, limit: PAGE_SIZE };
      call('results.page', window).then(
        ({ rows, total }) =>
          setLoaded((prev) => {
            if (asked.current.key !== key) return prev;
            const kept = prev.key === key ? prev.pages : NO_PAGES;
            return { key, total, pages: new Map(kept).set(page, rows), error: null };
          }),
        (failure: unknown) => {
          if (asked.current.key !== key) return;
          pages.delete(page);
          setLoaded((prev) => ({
            ...(prev.key === key ? prev : { key, total: prev.total, pages: NO_PAGES }),
            error: messageOf(failure),
          }));
        },
      );
    },
    [key, batchId, filter, sort],
  );

  // The first page answers the total too: ask for it as soon as the question changes.
  useEffect(() => fetchPage(0), [fetchPage]);

  const { pages } = current;
  const rowAt = useCallback((index: number) => pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [pages]);

  const want = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(Math.max(0, first) / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (!pages.has(page)) fetchPage(page);
      }
    },
    [pages, fetchPage],
  );

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
