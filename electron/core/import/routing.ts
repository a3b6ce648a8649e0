/**
 * The optional columns that route a row: `provider` and `account` (which API and which of its
 * accounts), and Sendcloud's `external_order_id` + `external_shipment_id` pair that names a shop
 * shipment without its UUID. Found by header name only, compared like the reference column's.
 */
import { PROVIDER_IDS, PROVIDER_LABELS, type ProviderId } from '../../../shared/domain';
import { normaliseHeader } from './columns';

export interface RoutingColumns {
  provider: number;
  account: number;
  externalOrder: number;
  externalShipment: number;
}

const NAMES: Record<keyof RoutingColumns, readonly string[]> = {
  provider: ['provider', 'carrierapi', 'api', 'platform'],
  account: ['account', 'accountname'],
  externalOrder: ['externalorderid', 'externalorder'],
  externalShipment: ['externalshipmentid', 'externalshipment'],
};

/** The routing columns of a header row (-1 where absent); the pair counts only when both are there. */
export function findRoutingColumns(header: readonly string[] | null): RoutingColumns {
  const names = (header ?? []).map(normaliseHeader);
  const find = (key: keyof RoutingColumns) => names.findIndex((name) => NAMES[key].includes(name));
  const columns = {
    provider: find('provider'),
    account: find('account'),
    externalOrder: find('externalOrder'),
    externalShipment: find('externalShipment'),
  };
  if (columns.externalOrder < 0 || columns.externalShipment < 0) {
    columns.externalOrder = -1;
    columns.externalShipment = -1;
  }
  return columns;
}

/** Which provider a cell names: its id, its label, or a plain spelling ("Sorted", "sorted pro"). */
export function providerFromCell(cell: string): ProviderId | undefined {
  const wanted = normaliseHeader(cell);
  return PROVIDER_IDS.find(
    (id) =>
      normaliseHeader(id) === wanted ||
      normaliseHeader(PROVIDER_LABELS[id]) === wanted ||
      (id === 'sorted-pro' && wanted === 'sorted') ||
      (id === 'electio' && wanted === 'sortedprov1'),
  );
}
