/**
 * Where an imported list will go, worked out from the preview before anything is queued: per provider
 * the account chosen for rows that do not name one, and the resulting count per account and action.
 * Main routes the same way when the clerk confirms (rows naming an account go to that account; the
 * others to the account chosen for their provider; rows with no usable account are rejected).
 */
import type { AccountRef, ImportPreview } from '../../shared/contract';
import { itemAction, type Action, type ProviderId } from '../../shared/domain';

export type Group = ImportPreview['groups'][number];
export type AccountChoices = Partial<Record<ProviderId, string>>;

export interface PlannedRoute {
  accountId: string;
  accountName: string;
  provider: ProviderId;
  action: Action;
  items: number;
}

export interface RoutePlan {
  routes: PlannedRoute[];
  /** Items that will go somewhere. */
  routed: number;
  /** Items no account fits: they will be rejected at import. */
  unroutable: number;
  /** Providers with several accounts where the clerk still has to choose one. */
  unchosen: ProviderId[];
}

/** Items of the group whose row does not name an account: these follow the clerk's choice. */
export function unnamedItems(group: Group): number {
  return group.items - group.named.reduce((sum, named) => sum + named.items, 0);
}

/** The account a named row resolves to (names compare without regard to case), if it is one of the group's. */
export function namedAccount(group: Group, accountName: string): AccountRef | undefined {
  const wanted = accountName.toLowerCase();
  return group.accounts.find((account) => account.name.toLowerCase() === wanted);
}

/** Keeps the clerk's earlier choices that still fit and preselects a provider's only account. */
export function defaultChoices(preview: ImportPreview, earlier: AccountChoices = {}): AccountChoices {
  const choices: AccountChoices = {};
  for (const group of preview.groups) {
    const kept = earlier[group.provider];
    if (kept && group.accounts.some((account) => account.id === kept)) choices[group.provider] = kept;
    else if (group.accounts.length === 1 && group.accounts[0]) choices[group.provider] = group.accounts[0].id;
  }
  return choices;
}

export function planRoutes(preview: ImportPreview, action: Action, choices: AccountChoices): RoutePlan {
  const routes = new Map<string, PlannedRoute>();
  let unroutable = 0;
  const unchosen: ProviderId[] = [];
  const add = (account: AccountRef, items: number) => {
    if (items <= 0) return;
    const routeAction = itemAction(action, account.provider);
    const key = `${account.id}:${routeAction}`;
    const route = routes.get(key) ?? {
      accountId: account.id,
      accountName: account.name,
      provider: account.provider,
      action: routeAction,
      items: 0,
    };
    route.items += items;
    routes.set(key, route);
  };

  for (const group of preview.groups) {
    for (const named of group.named) {
      const account = namedAccount(group, named.accountName);
      if (account) add(account, named.items);
      else unroutable += named.items;
    }
    const rest = unnamedItems(group);
    if (rest <= 0) continue;
    const chosen = group.accounts.find((account) => account.id === choices[group.provider]);
    if (chosen) add(chosen, rest);
    else if (group.accounts.length === 0) unroutable += rest;
    else unchosen.push(group.provider);
  }

  const list = [...routes.values()];
  return { routes: list, routed: list.reduce((sum, route) => sum + route.items, 0), unroutable, unchosen };
}
