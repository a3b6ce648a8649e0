/**
 * Where account secrets live: the OS keychain through keytar (service `bulk-cancel`, keyed by
 * account id). Kept behind this small interface because keytar is archived upstream and a
 * maintained successor should be able to replace it without touching the rest of the app.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppError, describeError } from '../errors';

export interface CredentialStore {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  delete(accountId: string): Promise<boolean>;
}

export const KEYCHAIN_SERVICE = 'bulk-cancel';

export const NO_KEYCHAIN_MESSAGE =
  'No system keychain is available, so the API key cannot be stored safely. ' +
  'On Linux install and unlock a Secret Service keyring (GNOME Keyring: apt install gnome-keyring, or KWallet); ' +
  'on Windows and macOS the system keychain is used.';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The OS keychain. Errors never carry the secret, and never fall back to storing it in clear. */
export function keychainStore(service: string = KEYCHAIN_SERVICE): CredentialStore {
  let keytar: Promise<Keytar> | undefined;
  const load = (): Promise<Keytar> =>
    (keytar ??= import('keytar')
      .then((m) => (m.default ?? m) as Keytar)
      .catch((error: unknown) => {
        keytar = undefined;
        throw keychainError(error);
      }));
  const guard = async <T>(op: (k: Keytar) => Promise<T>): Promise<T> => {
    const k = await load();
    try {
      return await op(k);
    } catch (error) {
      throw keychainError(error);
    }
  };
  return {
    get: (accountId) => guard((k) => k.getPassword(service, accountId)),
    set: (accountId, secret) => guard((k) => k.setPassword(service, accountId, secret)),
    delete: (accountId) => guard((k) => k.deletePassword(service, accountId)),
  };
}

/**
 * What keeps the keychain out of reach, in words that lead to the fix. On Linux the Secret Service
 * lives on the D-Bus session bus: over SSH or in CI there is none, and installing GNOME Keyring
 * (often installed already) does not help; starting a session does.
 */
function keychainError(error: unknown): AppError {
  const detail = describeError(error);
  if (/locked/i.test(detail)) {
    return new AppError(
      'keychain_unavailable',
      'The system keychain is locked. Unlock it (log in to your keyring) and try again.',
    );
  }
  const address = process.env.DBUS_SESSION_BUS_ADDRESS;
  const noBus = !address
    ? 'DBUS_SESSION_BUS_ADDRESS is not set'
    : /could not connect/i.test(detail)
      ? `${address} cannot be reached`
      : '';
  if (process.platform === 'linux' && noBus && isInstalled('gnome-keyring-daemon')) {
    return new AppError(
      'keychain_unavailable',
      `No system keychain is available, so the API key cannot be stored safely: GNOME Keyring is installed, but there is no desktop session to reach it (no D-Bus session bus: ${noBus}); ` +
        `start one with an unlocked keyring around the command, e.g. dbus-run-session -- sh -c 'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets; bulk-cancel ...'.`,
    );
  }
  return new AppError('keychain_unavailable', NO_KEYCHAIN_MESSAGE);
}

/** Whether a program is on the PATH (an executable file of that name in one of its folders). */
function isInstalled(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    if (!folder) return false;
    try {
      accessSync(join(folder, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
