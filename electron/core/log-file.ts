/**
 * The log's file: lines appended without blocking the caller, and moved aside when the file is full.
 * The lines logged during one turn of the event loop go in one write, through a descriptor kept open
 * (a line per attempt costs the sending loop a push onto an array). A write that fails (disk full, no
 * permission, the folder removed) drops its lines: the log must never disturb the work.
 *
 * The app and the CLI may append to the same file at once: each appends (O_APPEND), and a writer that
 * finds the file moved aside by the other (checked at most once a second) reopens it.
 */
import { mkdir, open, rename, stat, type FileHandle } from 'node:fs/promises';

export interface LogFile {
  append(line: string): void;
  /** Resolves once every line appended so far is written (or dropped, when it could not be). */
  flush(): Promise<void>;
}

/** How stale the knowledge that the file is still in place may be; until then lines may go to the file moved aside (kept). */
const FOLLOW_CHECK_MS = 1000;

/** The file `path`, moved to `oldPath` (replacing it) when the next write would take it past `maxBytes`. */
export function logFile(path: string, oldPath: string, dir: string, maxBytes: number): LogFile {
  let lines: string[] = [];
  let writing: Promise<void> | null = null;
  let file: { handle: FileHandle; ino: number; size: number } | null = null;

  const close = async () => {
    const closing = file;
    file = null;
    await closing?.handle.close().catch(() => undefined);
  };

  let checkedAt = -Infinity;
  /**
   * The open file, reopened when another process moved it aside (its inode is no longer at `path`).
   * That is asked at most every FOLLOW_CHECK_MS: a stat per write cost a sending run ~5% of its thread.
   */
  const current = async () => {
    if (file && performance.now() - checkedAt < FOLLOW_CHECK_MS) return file;
    checkedAt = performance.now();
    const atPath = await stat(path).catch(() => null);
    if (file && atPath?.ino === file.ino) return file;
    await close();
    await mkdir(dir, { recursive: true });
    const handle = await open(path, 'a');
    const opened = await handle.stat();
    file = { handle, ino: opened.ino, size: opened.size };
    return file;
  };

  const write = async (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    let target = await current();
    if (target.size > 0 && target.size + bytes.length > maxBytes) {
      await close();
      await rename(path, oldPath);
      target = await current();
    }
    await target.handle.appendFile(bytes);
    target.size += bytes.length;
  };

  const drain = async () => {
    // The lines of this turn of the event loop go together.
    await new Promise((resolve) => setImmediate(resolve));
    while (lines.length > 0) {
      const text = `${lines.join('\n')}\n`;
      lines = [];
      await write(text).catch(close);
    }
    writing = null;
  };

  return {
    append(line) {
      lines.push(line);
      writing ??= drain();
    },
    async flush() {
      while (writing) await writing;
    },
  };
}
