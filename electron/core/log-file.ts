/**
 * The log's file: lines appended without blocking the caller, and moved aside when the file is full.
 * The lines logged within GATHER_MS go in one write, through a descriptor kept open (a line per
 * attempt costs the sending loop a push onto an array). A write that fails (disk full, no
 * permission, the folder removed) drops its lines: the log must never disturb the work.
 *
 * The app and the CLI may append to the same file at once: each appends (O_APPEND), a writer that
 * finds the file moved aside by the other (looked at once a second, and before moving it aside
 * itself) reopens it, and the size that decides is the file's, not only this writer's share of it.
 */
import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface LogFile {
  append(line: string): void;
  /** Resolves once every line appended before the call is written (or dropped, when it could not be). */
  flush(): Promise<void>;
}

/**
 * How long a line waits for others before they are written together: one write per line cost a
 * 2,000-item run ~35 ms of its thread. A crash loses at most these last lines of the log, never a result.
 */
const GATHER_MS = 50;

/** How stale the knowledge that the file is still in place may be; until then lines may go to the file moved aside (kept). */
const FOLLOW_CHECK_MS = 1000;

interface OpenFile {
  handle: FileHandle;
  ino: number;
  /** Its size as far as this process knows: its own writes, and the other process's as of the last look. */
  size: number;
}

/** The file `path`, moved to `oldPath` (replacing it) when the next write would take it past `maxBytes`. */
export function logFile(path: string, oldPath: string, maxBytes: number): LogFile {
  const dir = dirname(path);
  let lines: string[] = [];
  let writing: Promise<void> | null = null;
  let file: OpenFile | null = null;
  let checkedAt = -Infinity;
  /** Lines appended, and lines written or dropped, since the start: flush waits for the first count as it was when called. */
  let appended = 0;
  let settled = 0;
  const waiters: { upTo: number; resolve: () => void }[] = [];

  const close = async () => {
    const closing = file;
    file = null;
    await closing?.handle.close().catch(() => undefined);
  };

  const reopen = async () => {
    await close();
    await mkdir(dir, { recursive: true });
    const handle = await open(path, 'a');
    try {
      const opened = await handle.stat();
      file = { handle, ino: opened.ino, size: opened.size };
      checkedAt = performance.now();
      return file;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  };

  /** The file at `path` now: the open one if it is still there (its size brought up to date), else that file opened. */
  const atPath = async (): Promise<OpenFile> => {
    const found = await stat(path).catch(() => null);
    if (!file || found?.ino !== file.ino) return reopen();
    file.size = Math.max(file.size, found.size);
    checkedAt = performance.now();
    return file;
  };

  /**
   * The file to write to. Whether another process moved it aside is asked at most every
   * FOLLOW_CHECK_MS (a stat per write cost a sending run ~5% of its thread), and always before this
   * process moves it aside itself, so it never moves aside a file the other one has just started.
   */
  const target = async (bytes: number): Promise<OpenFile> => {
    let current = file && performance.now() - checkedAt < FOLLOW_CHECK_MS ? file : await atPath();
    if (current.size + bytes <= maxBytes || current.size === 0) return current;
    current = await atPath();
    if (current.size + bytes <= maxBytes || current.size === 0) return current;
    await close();
    // Another process may have moved it aside an instant ago: then there is nothing to move, and its new file is used.
    await rename(path, oldPath).catch(() => undefined);
    return reopen();
  };

  const write = async (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const current = await target(bytes.length);
    await current.handle.appendFile(bytes);
    current.size += bytes.length;
  };

  const drain = async () => {
    while (lines.length > 0) {
      const batch = lines;
      lines = [];
      await write(`${batch.join('\n')}\n`).catch(close);
      settled += batch.length;
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i] as (typeof waiters)[number];
        if (waiter.upTo <= settled) {
          waiters.splice(i, 1);
          waiter.resolve();
        }
      }
    }
    writing = null;
  };

  let gathering: NodeJS.Timeout | null = null;
  const startDrain = () => {
    if (gathering) clearTimeout(gathering);
    gathering = null;
    writing ??= drain();
  };

  return {
    append(line) {
      lines.push(line);
      appended++;
      // A write is under way: its loop takes these lines next. Otherwise they wait for company.
      if (!writing && !gathering) gathering = setTimeout(startDrain, GATHER_MS);
    },
    flush() {
      if (gathering) startDrain();
      if (settled >= appended) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ upTo: appended, resolve }));
    },
  };
}
