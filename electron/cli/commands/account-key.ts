/**
 * An account's key on the command line: how the secret is asked for (`account add`, `account
 * set-key`), `account set-key NAME`, which replaces a refused or changed key in the keychain, and
 * `account check NAME`, which asks the carrier whether it accepts the saved key.
 */
import type { AccountSettings } from '../../../shared/contract';
import type { ProviderId } from '../../../shared/domain';
import { findAccountByName, updateAccount, type Account } from '../../core/accounts';
import { accountFacts } from '../../core/activity';
import type { Db } from '../../core/db/open';
import { AppError } from '../../core/errors';
import { checkAccountKey } from '../../core/key-check';
import { EXIT, type Context } from '../context';
import { readSecretLine } from '../io';

/** The secret as one line from stdin (a prompt without echo on a terminal); an empty line is refused. */
export async function readSecret(provider: ProviderId, settings: AccountSettings, name: string): Promise<string> {
  const prompt =
    provider !== 'sendcloud'
      ? `API key for ${name}: `
      : settings.authKind === 'oauth2'
        ? `Sendcloud CLIENT_ID:CLIENT_SECRET for ${name}: `
        : `Sendcloud PUBLIC_KEY:SECRET_KEY for ${name}: `;
  const secret = await readSecretLine(prompt);
  if (!secret) throw new AppError('bad_input', 'The API key is empty: give it as one line on stdin.');
  return secret;
}

/** The account a command names by NAME; an unknown name is bad input. */
export function namedAccount(db: Db, name: string): Account {
  const account = findAccountByName(db, name);
  if (!account) throw new AppError('bad_input', `There is no account named "${name.trim()}". See bulk-cancel account list.`);
  return account;
}

export async function accountSetKey({ db, credentials, log, out, positionals }: Context): Promise<number> {
  const account = namedAccount(db, positionals[0] ?? '');
  const secret = await readSecret(account.provider, account.settings, account.name);
  await updateAccount(db, credentials, account.id, { secret }, Date.now());
  log.info('account changed', { ...accountFacts(account), keyReplaced: true });
  out.result({ name: account.name, provider: account.provider, hasSecret: true }, () => [
    `Saved the new key of account "${account.name}" (${account.provider}) in the system keychain.`,
  ]);
  return EXIT.done;
}

export async function accountCheck({ db, credentials, out, positionals }: Context): Promise<number> {
  const account = namedAccount(db, positionals[0] ?? '');
  // The HTTP client is loaded here, not with this file: `import` uses namedAccount and sends nothing.
  const { nodeTransport } = await import('../../core/providers/node-transport');
  const check = await checkAccountKey({ db, credentials, transport: nodeTransport }, account.id);
  const message = check.kind === 'accepted' ? undefined : check.message;
  out.result({ name: account.name, provider: account.provider, key: check.kind, ...(message ? { message } : {}) }, () => [
    check.kind === 'accepted'
      ? `${account.provider} accepted the key of account "${account.name}".`
      : check.kind === 'refused'
        ? `The key of account "${account.name}" was refused: ${check.message} Save the right one with bulk-cancel account set-key "${account.name}".`
        : `Could not check the key of account "${account.name}": ${check.message}`,
  ]);
  return check.kind === 'accepted' ? EXIT.done : check.kind === 'refused' ? EXIT.attention : EXIT.someFailed;
}
