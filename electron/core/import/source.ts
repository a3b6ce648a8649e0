/**
 * Turns what the clerk gave (a file's bytes or pasted text) into a checked list of references,
 * and queues a checked list as a new batch for one account. Nothing is sent here.
 */
import type { ImportSource, RejectedRow } from '../../../shared/contract';
import { PROVIDER_IDS, PROVIDER_LABELS, type Action, type ProviderId } from '../../../shared/domain';
import type { Account } from '../accounts';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { createBatch } from '../queue/store';
import { decodeBase64, decodeBytes, type DecodedText } from './decode';
import { parseList, type ParsedList } from './parse';

export function readSource(source: ImportSource): DecodedText {
  if (source.kind === 'text') return { text: source.text, encoding: 'UTF-8', notes: [] };
  return decodeBytes(decodeBase64(source.base64));
}

export interface ImportPlan extends ParsedList {
  encoding: string;
  notes: string[];
}

export function planImport(decoded: DecodedText, provider?: ProviderId): ImportPlan {
  const parsed = parseList(decoded.text, provider ? [provider] : PROVIDER_IDS);
  return { ...parsed, encoding: decoded.encoding, notes: decoded.notes };
}

export interface QueuedImport {
  batchId: string;
  items: number;
  duplicates: number;
  rejected: RejectedRow[];
}

export interface QueueMeta {
  sourceName: string | null;
  action: Action;
  createdBy: string | null;
  machine: string | null;
  now: number;
}

/** Queues the plan's items for the account; items of another provider are rejected with a reason. */
export function queueImport(db: Db, plan: ImportPlan, account: Account, meta: QueueMeta): QueuedImport {
  const rejected = [...plan.rejected];
  const items = [];
  for (const entry of plan.entries) {
    if (entry.provider === account.provider) {
      items.push({ ...entry, accountId: account.id });
    } else {
      rejected.push({
        row: entry.row,
        value: entry.reference,
        error: `This is a ${PROVIDER_LABELS[entry.provider]} reference, but account "${account.name}" is ${PROVIDER_LABELS[account.provider]}.`,
      });
    }
  }
  if (items.length === 0) {
    throw new AppError('bad_input', 'No valid reference to cancel was found in this list; nothing was queued.');
  }
  rejected.sort((a, b) => a.row - b.row);
  const batchId = createBatch(db, { ...meta, items });
  return { batchId, items: items.length, duplicates: plan.duplicates, rejected };
}
