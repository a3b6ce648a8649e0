/**
 * The shape every provider client has, and the registry that builds the right one for an account.
 */
import type { Account } from '../accounts';
import { electioClient } from './electio';
import type { Http } from './http';
import type { Answer } from './outcome';

export interface SendItem {
  id: number;
  reference: string;
}

export interface ProviderClient {
  /** How many items one request may carry. */
  readonly chunkLimit: number;
  /** Sends the cancellation for these items and answers for every one of them. */
  cancel(items: readonly SendItem[]): Promise<Map<number, Answer>>;
}

export interface ClientOptions {
  http: Http;
  chunkSize: number;
  now: () => number;
}

export function createClient(account: Account, secret: string, options: ClientOptions): ProviderClient {
  switch (account.provider) {
    case 'electio':
      return electioClient({ ...options, baseUrl: account.baseUrl, apiKey: secret });
  }
}
