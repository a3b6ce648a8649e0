/**
 * Where account secrets live: the OS keychain through keytar (service `bulk-cancel`, keyed by
 * account id). Kept behind this small interface because keytar is archived upstream and a
 * maintained successor should be able to replace it without touching the rest of the app.
 */
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

function keychainError(error: unknown): AppError {
  const detail = describeError(error);
  if (/locked/i.test(detail)) {
    return new AppError(
      'keychain_unavailable',
      'The system keychain is locked. Unlock it (log in to your keyring) and try again.',
    );
  }
  return new AppError('keychain_unavailable', NO_KEYCHAIN_MESSAGE);
}
