/**
 * Sendcloud authorization for one account: HTTP Basic with the integration's public and secret key,
 * or an OAuth2 client-credentials token, fetched once, kept until it expires, refreshed on a 401.
 */
import type { Http, HttpFailure } from './http';
import type { RequestRecord } from './outcome';
import { send } from './request';

export type AuthHeader =
  | { kind: 'header'; value: string }
  | { kind: 'refused'; message: string }
  /** The token endpoint could not be reached: retry later, the credentials may be fine. */
  | { kind: 'unreachable'; failure: HttpFailure };

export interface SendcloudAuth {
  header(records: RequestRecord[]): Promise<AuthHeader>;
  /** A token can be fetched again after a 401; a fixed key cannot. */
  readonly refreshable: boolean;
  invalidate(): void;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The account's stored secret is `PUBLIC:SECRET` (Basic) or `CLIENT_ID:CLIENT_SECRET` (OAuth2). */
export function splitSecret(secret: string): { id: string; secret: string } | null {
  const colon = secret.indexOf(':');
  if (colon <= 0 || colon === secret.length - 1) return null;
  return { id: secret.slice(0, colon), secret: secret.slice(colon + 1) };
}

export function basicAuth(id: string, secret: string): SendcloudAuth {
  const value = basic(id, secret);
  return { header: async () => ({ kind: 'header', value }), refreshable: false, invalidate: () => undefined };
}

/** Expiry is taken a minute early, so a token never runs out in the middle of a request. */
const EARLY_MS = 60_000;

export function oauth2Auth(
  http: Http,
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  now: () => number,
): SendcloudAuth {
  let token: { value: string; expiresAt: number } | null = null;
  let fetching: Promise<AuthHeader> | null = null;

  async function fetchToken(records: RequestRecord[]): Promise<AuthHeader> {
    const endpoint = `POST ${new URL(tokenUrl).pathname}`;
    const { result, record } = await send(
      http,
      {
        method: 'POST',
        url: tokenUrl,
        headers: {
          authorization: basic(clientId, clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials&scope=api',
      },
      endpoint,
      now,
    );
    records.push(record);
    if (result.kind === 'failure') return { kind: 'unreachable', failure: result };
    const body = result.json as { access_token?: unknown; expires_in?: unknown } | undefined;
    const noToken = result.status === 200 && typeof body?.access_token !== 'string';
    if (
      result.status === 408 ||
      result.status === 429 ||
      result.status >= 500 ||
      result.malformed ||
      result.tooLarge ||
      noToken
    ) {
      // The token service is busy or garbled (a proxy's page is no token), which says nothing about the credentials: try again later.
      const problem = result.tooLarge
        ? 'an answer too large to read'
        : result.malformed
          ? 'an answer that is not JSON'
          : noToken
            ? 'something that is not a token'
            : 'an error';
      const message = `Sendcloud's token service answered HTTP ${result.status} with ${problem}; trying again later.`;
      return { kind: 'unreachable', failure: { kind: 'failure', failure: 'network', message } };
    }
    if (result.status !== 200 || typeof body?.access_token !== 'string') {
      return { kind: 'refused', message: `Sendcloud refused the account's OAuth2 client id and secret (HTTP ${result.status}).` };
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3600_000;
    token = { value: body.access_token, expiresAt: now() + lifetime - EARLY_MS };
    return { kind: 'header', value: `Bearer ${token.value}` };
  }

  return {
    refreshable: true,
    invalidate: () => {
      token = null;
    },
    async header(records) {
      if (token && token.expiresAt > now()) return { kind: 'header', value: `Bearer ${token.value}` };
      // Concurrent requests share one token request.
      fetching ??= fetchToken(records).finally(() => {
        fetching = null;
      });
      return fetching;
    },
  };
}
