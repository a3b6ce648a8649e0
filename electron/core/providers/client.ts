/**
 * The registry that builds the right provider client for an account from its settings and its
 * secret (the shape every client has lives in types.ts, re-exported here). Every text a carrier sends back passes the log's redaction with
 * the account's credentials before anything stores, prints or exports it.
 */
import type { Account } from '../accounts';
import { AppError, describeError } from '../errors';
import { Secrets, redactText } from '../log';
import { SENDCLOUD_TOKEN_URL } from '../../../shared/provider-defaults';
import { electioClient } from './electio';
import type { Http } from './http';
import type { Answer } from './outcome';
import { sendcloudClient } from './sendcloud';
import { basicAuth, oauth2Auth, splitSecret, type SendcloudAuth } from './sendcloud-auth';
import { sortedProClient } from './sorted-pro';
import type { ProviderClient } from './types';

export type { ProviderClient, SendItem } from './types';

export interface ClientOptions {
  http: Http;
  chunkSize: number;
  now: () => number;
}

export function createClient(account: Account, secret: string, options: ClientOptions): ProviderClient {
  const secrets = new Secrets();
  secrets.add(secret);
  return redacting(providerClient(account, secret, options, secrets), secrets);
}

function providerClient(account: Account, secret: string, options: ClientOptions, secrets: Secrets): ProviderClient {
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
      // A carrier may echo either half of the key on its own.
      secrets.add(pair.id);
      secrets.add(pair.secret);
      const { authKind, tokenUrl, integrationId } = account.settings;
      const auth =
        authKind === 'oauth2'
          ? registeringTokens(oauth2Auth(http, tokenUrl ?? SENDCLOUD_TOKEN_URL, pair.id, pair.secret, now), secrets)
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

/** Each OAuth2 access token, once issued, is a credential to scrub like the key it was issued for. */
function registeringTokens(auth: SendcloudAuth, secrets: Secrets): SendcloudAuth {
  return {
    refreshable: auth.refreshable,
    invalidate: () => auth.invalidate(),
    async header(records) {
      const header = await auth.header(records);
      if (header.kind === 'header') secrets.add(header.value.replace(/^Bearer\s+/i, ''));
      return header;
    },
  };
}

/**
 * The client, with the log's redaction applied to every text that came from the carrier (an answer's
 * message, each request's record, an unexpected error), so a key the carrier echoes never reaches the
 * database, the CLI's output or an export.
 */
function redacting(client: ProviderClient, secrets: Secrets): ProviderClient {
  const clean = (text: string) => redactText(text, secrets);
  return {
    async checkKey() {
      const check = await client.checkKey();
      return check.kind === 'accepted' ? check : { ...check, message: clean(check.message) };
    },
    async cancel(items) {
      let answers: Map<number, Answer>;
      try {
        answers = await client.cancel(items);
      } catch (error) {
        throw new Error(clean(describeError(error)));
      }
      return new Map(
        [...answers].map(([id, { outcome, requests }]) => [
          id,
          {
            outcome: { ...outcome, message: clean(outcome.message) },
            requests: requests.map((record) => ({ ...record, message: clean(record.message) })),
          },
        ]),
      );
    },
  };
}
