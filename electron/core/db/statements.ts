/**
 * Statements run for every request or group of results, prepared once per database: preparing one
 * costs more than running a short one.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './open';

const prepared = new WeakMap<Db, Map<string, Statement>>();

export function preparedOnce(db: Db, sql: string): Statement {
  let bySql = prepared.get(db);
  if (!bySql) prepared.set(db, (bySql = new Map()));
  let statement = bySql.get(sql);
  if (!statement) bySql.set(sql, (statement = db.prepare(sql)));
  return statement;
}
