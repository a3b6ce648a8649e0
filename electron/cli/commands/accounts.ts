/**
 * `bulk-cancel account add | list | remove`: an account's settings from its flags (checked before
 * anything is opened, see checkUsage in main.ts), and the accounts as the clerk sees them. The key's
 * own commands (`account set-key`, `account check`) are in account-key.ts.
 */
import type { AccountSettings, AccountView } from '../../../shared/contract';
import { MAX_INTEGRATION_ID, MAX_RATE_PER_MINUTE } from '../../../shared/provider-defaults';
import type { ProviderId } from '../../../shared/domain';
import {
  addAccount,
  checkBaseUrl,
  findAccountByName,
  listAccounts,
  removeAccount,
  settingsNotFor,
  viewAccount,
} from '../../core/accounts';
import { accountFacts } from '../../core/activity';
import { AppError } from '../../core/errors';
import { batchesWaitingFor } from '../../core/queue/summary';
import { positiveInteger, providerOption, type ParsedCommand } from '../args';
import { EXIT, noPositionals, requireString, type Context } from '../context';
import { namedAccount, readSecret } from './account-key';

/** The flag of each account setting. */
const SETTING_FLAGS = {
  ratePerMinute: 'rate',
  paceCeilingPerMinute: 'pace-ceiling',
  integrationId: 'integration-id',
  authKind: 'auth',
  tokenUrl: 'token-url',
} as const satisfies Record<keyof AccountSettings, string>;

/** The provider fields given on the command line; settings the provider does not have (core says which) are refused. */
export function accountSettings(provider: ProviderId, values: ParsedCommand['values']): AccountSettings {
  const settings: AccountSettings = {};
  if (values.rate !== undefined) settings.ratePerMinute = positiveInteger(values.rate, 'rate', 0, MAX_RATE_PER_MINUTE);
  if (values['pace-ceiling'] !== undefined)
    settings.paceCeilingPerMinute = positiveInteger(values['pace-ceiling'], 'pace-ceiling', 0, MAX_RATE_PER_MINUTE);
  const given = { integrationId: values['integration-id'], authKind: values.auth, tokenUrl: values['token-url'] };
  const foreign = settingsNotFor(provider, given).map((field) => `--${SETTING_FLAGS[field]}`);
  if (foreign.length) {
    throw new AppError(
      'bad_input',
      `${foreign.join(', ')} ${foreign.length > 1 ? 'are' : 'is'} only for Sendcloud accounts, not ${provider}.`,
    );
  }
  if (provider !== 'sendcloud') return settings;
  if (values['integration-id'] !== undefined) {
    settings.integrationId = positiveInteger(values['integration-id'], 'integration-id', 0, MAX_INTEGRATION_ID);
  }
  const auth = values.auth ?? 'basic';
  if (auth !== 'basic' && auth !== 'oauth2') throw new AppError('bad_input', '--auth is basic or oauth2.');
  settings.authKind = auth;
  const tokenUrl = values['token-url'];
  if (tokenUrl !== undefined) {
    if (auth !== 'oauth2') throw new AppError('bad_input', '--token-url is used only with --auth oauth2.');
    if (typeof tokenUrl !== 'string' || tokenUrl.trim() === '')
      throw new AppError('bad_input', '--token-url needs a web address.');
    settings.tokenUrl = tokenUrl.trim();
  }
  return settings;
}

/** The non-secret settings of an account, for plain-text output. */
function describeSettings(view: AccountView): string {
  const parts = [`${view.ratePerMinute} requests/min`];
  if (view.provider === 'sendcloud') {
    const { integrationId, authKind, tokenUrl } = view.settings;
    parts.push(integrationId === undefined ? 'no integration id' : `integration ${integrationId}`);
    parts.push(authKind === 'oauth2' ? `OAuth2${tokenUrl ? ` via ${tokenUrl}` : ''}` : 'HTTP Basic');
  }
  return parts.join(', ');
}

export async function accountAdd({ db, credentials, log, out, values, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const provider = providerOption(requireString(values, 'provider')) as ProviderId;
  const name = requireString(values, 'name');
  const settings = accountSettings(provider, values);
  if (findAccountByName(db, name)) throw new AppError('bad_input', `An account named "${name.trim()}" already exists.`);
  const baseUrl = typeof values['base-url'] === 'string' ? values['base-url'] : undefined;
  if (baseUrl !== undefined) checkBaseUrl(baseUrl); // before asking for the key, not after
  const secret = await readSecret(provider, settings, name);
  const account = await addAccount(db, credentials, { provider, name, baseUrl, settings, secret }, Date.now());
  log.info('account added', accountFacts(account));
  const view = await viewAccount(account, credentials);
  out.result({ name: view.name, provider: view.provider, baseUrl: view.baseUrl, hasSecret: view.hasSecret }, () => [
    `Added account "${view.name}" (${view.provider}, ${view.baseUrl}); its key is in the system keychain.`,
    `Settings: ${describeSettings(view)}.`,
    ...(provider === 'sendcloud' && settings.integrationId === undefined
      ? [
          'Without --integration-id this account can cancel labels (--action cancel-label) but cannot remove shop integration shipments.',
        ]
      : []),
  ]);
  return EXIT.done;
}

export async function accountList({ db, credentials, out, positionals }: Context): Promise<number> {
  noPositionals(positionals);
  const accounts = await Promise.all(listAccounts(db).map((account) => viewAccount(account, credentials)));
  // Scripts depend on exactly these four keys; the plain text may show more.
  const document = accounts.map(({ name, provider, baseUrl, hasSecret }) => ({ name, provider, baseUrl, hasSecret }));
  out.result(document, () =>
    accounts.length
      ? accounts.map(
          (a) => `${a.name}\t${a.provider}\t${a.baseUrl}\t${a.hasSecret ? 'key saved' : 'NO KEY'}\t${describeSettings(a)}`,
        )
      : ['No accounts yet. Add one with: bulk-cancel account add --provider electio --name NAME'],
  );
  return EXIT.done;
}

export async function accountRemove({ db, credentials, log, out, positionals }: Context): Promise<number> {
  const account = namedAccount(db, positionals[0] ?? '');
  const waiting = batchesWaitingFor(db, account.id);
  if (waiting.length) {
    const total = waiting.reduce((sum, { waiting: n }) => sum + n, 0);
    const batches = waiting.map((w) => w.batchId);
    const shown = batches.length > 3 ? `${batches.slice(0, 3).join(', ')} and ${batches.length - 3} more` : batches.join(', ');
    throw new AppError(
      'bad_input',
      `Account "${account.name}" still has ${total} queued item(s) (batch ${shown}), so it was not removed: send them first with bulk-cancel run --batch ${batches[0]}, or stop them with bulk-cancel stop --batch ${batches[0]}.`,
    );
  }
  await removeAccount(db, credentials, account.id, Date.now());
  log.info('account removed', accountFacts(account));
  out.result({ removed: account.name }, () => [`Removed account "${account.name}" and its key.`]);
  return EXIT.done;
}
