/** Who queued a batch and on which machine, for the history ("by which clerk, on which PC?"). */
import { hostname, userInfo } from 'node:os';

export function batchOrigin(): { createdBy: string | null; machine: string | null } {
  let createdBy: string | null = null;
  try {
    createdBy = userInfo().username;
  } catch {
    // Some sandboxed or container users have no passwd entry; the batch is still recorded.
  }
  return { createdBy, machine: hostname() };
}
