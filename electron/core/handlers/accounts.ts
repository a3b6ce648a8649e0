/**
 * The accounts area: list, add, change and remove accounts, and check an account's key with its
 * carrier; every change and check is logged by the account's facts, never its key.
 */
import type { AccountView } from '../../../shared/contract';
import { addAccount, getAccount, listAccounts, removeAccount, updateAccount, viewAccount } from '../accounts';
import { accountFacts } from '../activity';
import { checkAccountKey } from '../key-check';
import type { AreaHandlers, HandlerContext } from './context';

type AccountChannel = 'accounts.list' | 'accounts.add' | 'accounts.update' | 'accounts.remove' | 'accounts.checkKey';

/** Every account as the window sees it. */
export function accountViews({ db, credentials }: HandlerContext): Promise<AccountView[]> {
  return Promise.all(listAccounts(db).map((account) => viewAccount(account, credentials)));
}

export function accountHandlers(context: HandlerContext): AreaHandlers<AccountChannel> {
  const { db, credentials, log, now, transport } = context;
  return {
    'accounts.list': async () => accountViews(context),
    'accounts.add': async (request) => {
      const account = await addAccount(db, credentials, request, now());
      log.info('account added', accountFacts(account));
      return viewAccount(account, credentials);
    },
    'accounts.update': async ({ id, ...changes }) => {
      const account = await updateAccount(db, credentials, id, changes, now());
      log.info('account changed', { ...accountFacts(account), keyReplaced: changes.secret !== undefined });
      return viewAccount(account, credentials);
    },
    'accounts.remove': async ({ id }) => {
      const account = getAccount(db, id);
      await removeAccount(db, credentials, id, now());
      if (account) log.info('account removed', accountFacts(account));
      return { removed: true };
    },
    'accounts.checkKey': async ({ accountId }) => {
      const result = await checkAccountKey({ db, credentials, transport }, accountId);
      const account = getAccount(db, accountId);
      if (account) log.info('key checked', { ...accountFacts(account), result: result.kind });
      return result;
    },
  };
}
