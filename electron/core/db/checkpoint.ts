/**
 * A large write (an import of thousands of items) fills the WAL with thousands of pages. SQLite
 * copies them into the database file (a checkpoint) at the commit that crosses its threshold, and
 * the clerk would wait for that copy. As SQLite's WAL notes suggest, that copy is moved to an idle
 * moment instead: the commit is as durable as ever (the WAL is synced), only the copy comes later.
 */
import type { Db } from './open';

export function withCheckpointAfter<T>(db: Db, work: () => T): T {
  const pages = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  try {
    return work();
  } finally {
    db.pragma(`wal_autocheckpoint = ${pages}`);
    setImmediate(() => {
      try {
        if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // A checkpoint that cannot run now (the disk is full, another process holds it) runs at a later commit.
      }
    }).unref();
  }
}
