/**
 * The keychain, with a fallback the clerk must agree to: when no keychain is reachable, a secret can
 * be kept in this process's memory until the app quits. It is never written anywhere else.
 */
import type { CredentialStore } from './store';

export interface SessionCredentials extends CredentialStore {
  keepForSession(accountId: string, secret: string): void;
  inMemory(accountId: string): boolean;
}

export function withSessionFallback(keychain: CredentialStore): SessionCredentials {
  const memory = new Map<string, string>();
  return {
    async get(accountId) {
      return memory.get(accountId) ?? keychain.get(accountId);
    },
    async set(accountId, secret) {
      await keychain.set(accountId, secret);
      memory.delete(accountId);
    },
    async delete(accountId) {
      const inMemory = memory.delete(accountId);
      if (inMemory) return keychain.delete(accountId).catch(() => true);
      return keychain.delete(accountId);
    },
    keepForSession(accountId, secret) {
      memory.set(accountId, secret);
    },
    inMemory: (accountId) => memory.has(accountId),
  };
}
