/**
 * Lists the clerk has checked but not confirmed yet, kept in this process's memory so that confirm
 * queues exactly what the preview showed: the file crosses IPC once and is parsed once. Only the few
 * newest are kept (each may hold a 64 MiB file); a draft checked again is replaced by the new one,
 * and a confirmed one is dropped. A draft never outlives the process: after a restart, check again.
 */
import { randomUUID } from 'node:crypto';
import type { Action, ProviderId } from '../../../shared/domain';
import { AppError } from '../errors';
import type { Decoded, ImportPlan } from '../import/source';

/** How many drafts are kept: the current one, with room for a second window or a quick change of mind. */
export const MAX_DRAFTS = 3;

export const EXPIRED_DRAFT = 'This preview has expired; check the list again.';

export interface ImportDraft {
  id: string;
  fileName: string | null;
  /** A file's bytes, kept to read another sheet of a workbook; null for pasted text. */
  bytes: Uint8Array | null;
  /** The list as read (text or a sheet's rows), kept to plan it again for another action or accounts. */
  decoded: Decoded;
  sheet: string | null;
  action: Action | undefined;
  /** The column the clerk chose (0-based); else the one whose values are references. */
  column: number | undefined;
  /** The providers references were read as: a confirm after the accounts changed must check again. */
  providers: readonly ProviderId[];
  plan: ImportPlan;
}

export interface DraftStore {
  /** Keeps the draft (dropping the one it replaces, and the oldest beyond the limit) and gives it an id. */
  add(draft: Omit<ImportDraft, 'id'>, replaces?: string): ImportDraft;
  /** The draft, or a clear refusal when it is unknown or no longer kept. */
  get(id: string): ImportDraft;
  delete(id: string): void;
}

export function draftStore(limit = MAX_DRAFTS): DraftStore {
  // A Map keeps insertion order: the first key is the oldest draft.
  const drafts = new Map<string, ImportDraft>();
  return {
    add(fields, replaces) {
      if (replaces !== undefined) drafts.delete(replaces);
      const draft = { ...fields, id: randomUUID() };
      drafts.set(draft.id, draft);
      for (const oldest of drafts.keys()) {
        if (drafts.size <= limit) break;
        drafts.delete(oldest);
      }
      return draft;
    },
    get(id) {
      const draft = drafts.get(id);
      if (!draft) throw new AppError('not_found', EXPIRED_DRAFT);
      return draft;
    },
    delete: (id) => void drafts.delete(id),
  };
}
