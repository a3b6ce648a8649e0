/**
 * The shape every provider client has, and the registry that builds the right one for an account
 * from its settings and its secret.
 */
import type { Account } from '../accounts';
import { AppError } from '../errors';
import type { ClaimedItem } from '../queue/store';
import { SENDCLOUD_TOKEN_URL } from '../../../shared/provider-defaults';
import { electioClient } from './electio';
import type { Http } from './http';
import type { Answer } from './outcome';
import { sendcloudClient } from './sendcloud';
import { basicAuth, oauth2Auth, splitSecret } from './sendcloud-auth';
import { sortedProClient } from './sorted-pro';

export type SendItem = Pick<
  ClaimedItem,
  'id' | 'reference' | 'action' | 'externalOrderId' | 'externalShipmentId' | 'step' | 'maybeSent'
>;

export interface ProviderClient {
  /** Sends the cancellation for these items and answers for every one of them. */
  cancel(items: readonly SendItem[]): Promise<Map<number, Answer>>;
}

export interface ClientOptions {
  http: Http;
  chunkSize: number;
  now: () => number;
}

export function createClient(account: Account, secret: string, options: ClientOptions): ProviderClient {
  const { http, now } = options;
  switch (account.provider) {
    case 'electio':
      return electioClient({ ...options, baseUrl: account.baseUrl, apiKey: secret });
    case 'sorted-pro':
      return sortedProClient({ http, now, baseUrl: account.baseUrl, apiKey: secret });
    case 'sendcloud': {
      const pair = splitSecret(secret);
      if (!pair) {
        throw new AppError(
          'account_needs_attention',
          `The saved key of account "${account.name}" is not in the form PUBLIC:SECRET (or CLIENT_ID:CLIENT_SECRET). Save the key of this account again.`,
        );
      }
      const { authKind, tokenUrl, integrationId } = account.settings;
      const auth =
        authKind === 'oauth2'
          ? oauth2Auth(http, tokenUrl ?? SENDCLOUD_TOKEN_URL, pair.id, pair.secret, now)
          : basicAuth(pair.id, pair.secret);
      return sendcloudClient({
        http,
        now,
        auth,
        baseUrl: account.baseUrl,
        integrationId: integrationId ?? null,
        accountName: account.name,
      });
    }
  }
}
