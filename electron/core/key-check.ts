/**
 * "Check key": reads, with an account's saved key, a shipment that does not exist. Nothing changes at
 * the carrier; its answer tells a refused key (401/403) from a good one (404), before a run finds out.
 */
import { getAccount } from './accounts';
import type { CredentialStore } from './credentials/store';
import type { Db } from './db/open';
import { AppError } from './errors';
import { createClient } from './providers/client';
import { createHttp, type Transport } from './providers/http';
import type { KeyCheck } from './providers/types';

/** A check's request gives up sooner than a cancel: the clerk is waiting for it. */
const CHECK_TIMEOUT_MS = 15_000;

export async function checkAccountKey(
  deps: { db: Db; credentials: CredentialStore; transport: Transport },
  accountId: string,
): Promise<KeyCheck> {
  const account = getAccount(deps.db, accountId);
  if (!account) throw new AppError('not_found', 'That account no longer exists.');
  const secret = await deps.credentials.get(account.id);
  if (!secret) return { kind: 'refused', message: `Account "${account.name}" has no API key saved. Save its key first.` };
  const http = createHttp(deps.transport, CHECK_TIMEOUT_MS);
  return createClient(account, secret, { http, chunkSize: 1, now: Date.now }).checkKey();
}
