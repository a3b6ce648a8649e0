/**
 * Who holds a claim: `kind:host:pid:nonce`, so a process starting up can tell a live claimer (the app
 * and the CLI may share one database) from one that died mid-run, whose items it may take back.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export function claimerName(kind: string): string {
  return `${kind}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** False only when the claimer ran on this machine and its process is gone; otherwise its lease decides. */
export function isClaimerAlive(claimer: string): boolean {
  const [, host, pidText] = claimer.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
