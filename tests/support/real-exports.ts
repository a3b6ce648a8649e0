/**
 * Lists shaped like the exports clerks really drop on the importer, written by the project from the
 * public column layouts of those exports (the values are made up, deterministic): an Excel "Unicode
 * Text" save, Shopify's orders export, a Windows-1252 CSV with CRLF, a workbook with two sheets and
 * ids Excel stored as numbers, and a Sendcloud parcels report. Each says the exact counts it must give.
 */
import { electioReference, sortedReference } from '../simulator';
import { workbookOfSheets } from './xlsx';

/**
 * Excel's "Save as Unicode Text": UTF-16LE with a BOM, tabs, CRLF. `Shipment Ref` holds Sorted PRO
 * references (95 different, 2 repeated, 3 bad); `Tracking Reference` holds tracking numbers Excel
 * turned into scientific notation, and its name ranks higher.
 */
export function excelUnicodeText(): { bytes: Buffer; references: string[] } {
  const references = Array.from({ length: 95 }, (_, n) => sortedReference(610_000 + n));
  const column = [...references, references[3] as string, references[40] as string, '', 'sp_123', 'N/A'];
  const rows = column.map((ref, n) =>
    [`SO-${5000 + n}`, ref, `4.66203E+18`, 'Next day', `${(1 + (n % 7) / 2).toFixed(1)}`].join('\t'),
  );
  const text = [['Order No', 'Shipment Ref', 'Tracking Reference', 'Service', 'Weight'].join('\t'), ...rows].join('\r\n');
  return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${text}\r\n`, 'utf16le')]), references };
}

/** The columns of Shopify's orders export, in its order (79 of them). */
export const SHOPIFY_ORDER_COLUMNS = [
  'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Accepts Marketing', 'Currency',
  'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Code', 'Discount Amount', 'Shipping Method', 'Created at',
  'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem compare at price', 'Lineitem sku',
  'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status', 'Billing Name', 'Billing Street',
  'Billing Address1', 'Billing Address2', 'Billing Company', 'Billing City', 'Billing Zip', 'Billing Province',
  'Billing Country', 'Billing Phone', 'Shipping Name', 'Shipping Street', 'Shipping Address1', 'Shipping Address2',
  'Shipping Company', 'Shipping City', 'Shipping Zip', 'Shipping Province', 'Shipping Country', 'Shipping Phone', 'Notes',
  'Note Attributes', 'Cancelled at', 'Payment Method', 'Payment Reference', 'Refunded Amount', 'Vendor',
  'Outstanding Balance', 'Employee', 'Location', 'Device ID', 'Id', 'Tags', 'Risk Level', 'Source', 'Lineitem discount',
  'Tax 1 Name', 'Tax 1 Value', 'Tax 2 Name', 'Tax 2 Value', 'Tax 3 Name', 'Tax 3 Value', 'Tax 4 Name', 'Tax 4 Value',
  'Tax 5 Name', 'Tax 5 Value', 'Phone', 'Receipt Number', 'Duties', 'Billing Province Name', 'Shipping Province Name',
  'Payment ID', 'Payment Terms Name', 'Next Payment Due At', 'Payment References',
]; // prettier-ignore

/** A Shopify orders export of 20 orders: 79 columns, none of them a carrier's shipment reference. */
export function shopifyOrders(): Buffer {
  const value = (column: string, n: number): string => {
    if (column === 'Name') return `#${1001 + n}`;
    if (column === 'Email') return `customer${n}@example.com`;
    if (/ at$/.test(column)) return `2026-11-${String(1 + (n % 28)).padStart(2, '0')} 10:12:13 +0000`;
    if (/Subtotal|Shipping$|Taxes|Total|Amount|price|Value|Balance|discount/.test(column)) return `${(12.5 + n).toFixed(2)}`;
    if (column === 'Payment Reference' || column === 'Payment References') return `c${23456789012 + n}.1`;
    if (column === 'Id') return String(5_123_456_789_012 + n);
    if (column === 'Payment ID') return `r7nQk2LmP0aBcDeFgH${n}`;
    if (/Zip/.test(column)) return 'EC1A 1BB';
    if (/Phone/.test(column)) return `+44 20 7946 ${String(n).padStart(4, '0')}`;
    if (column === 'Currency') return 'GBP';
    if (column === 'Lineitem quantity') return '1';
    if (column === 'Lineitem sku') return `SKU-${100 + n}`;
    if (/Notes|Attributes|Company|Address2|Tags|Employee|Location|Device|Duties|Receipt|Terms/.test(column)) return '';
    return `${column.split(' ')[0]} ${n}`;
  };
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const rows = Array.from({ length: 20 }, (_, n) => SHOPIFY_ORDER_COLUMNS.map((column) => quote(value(column, n))).join(','));
  return Buffer.from(`${[SHOPIFY_ORDER_COLUMNS.join(','), ...rows].join('\n')}\n`, 'utf8');
}

/**
 * A Windows-1252 CSV from an older WMS: semicolons, CRLF, accented names, and the Electio references
 * in a column named `Custom Field 1` (30 rows), a header the importer must recognise as one.
 */
export function windows1252Export(): { bytes: Buffer; references: string[] } {
  const references = Array.from({ length: 30 }, (_, n) => electioReference(620_000 + n));
  const names = ['Müller', 'Gärtner', 'Café Noël', 'Strauß', 'Élodie'];
  const rows = references.map((ref, n) => [`B${7000 + n}`, names[n % names.length], ref, `Straße ${n + 1}`].join(';'));
  const text = `${['Bestellnr', 'Kunde', 'Custom Field 1', 'Straße'].join(';')}\r\n${rows.join('\r\n')}\r\n`;
  return { bytes: Buffer.from(text, 'latin1'), references };
}

/**
 * A workbook of two sheets: "Summary" first, then "Shop shipments" with Sendcloud's external id
 * pair. 12 `external_order_id` values are text; 8 are 17-digit numbers Excel stored as numbers
 * (rounded to 15 significant digits), which must be rejected, not queued.
 */
export function twoSheetWorkbook(): { bytes: Buffer; kept: string[] } {
  const kept = Array.from({ length: 12 }, (_, n) => `757332880923${String(49_300 + n * 7)}`);
  const rows: (string | number)[][] = [
    ['external_order_id', 'external_shipment_id', 'Customer'],
    ...kept.map((order, n) => [order, `S-${1000 + n}`, `Customer ${n}`]),
    ...Array.from({ length: 8 }, (_, n) => [75_733_288_092_349_330 + n * 1000, `S-${2000 + n}`, `Customer ${12 + n}`]),
  ];
  const summary = [
    ['Exported', '2026-11-30'],
    ['Orders', 20],
  ];
  return {
    bytes: workbookOfSheets([
      { name: 'Summary', rows: summary },
      { name: 'Shop shipments', rows },
    ]),
    kept,
  };
}

/** The columns of Sendcloud's parcels report (its reporting API's fields), in the order the panel writes them. */
export const SENDCLOUD_REPORT_COLUMNS = [
  'parcel_id', 'direction', 'carrier_code', 'carrier_name', 'from_address_company_name', 'contract_id', 'contract_type',
  'from_address_city', 'from_address_postal_code', 'from_address_country_code', 'from_address_country_name',
  'to_address_city', 'to_address_postal_code', 'to_address_country_code', 'to_address_country_name', 'order_number',
  'tracking_number', 'announced_at', 'shipped_at', 'first_offer_at', 'delivered_at', 'shipping_option_code',
  'total_cost', 'status', 'sub_status', 'integration_id', 'integration_type', 'weight', 'brand_id', 'brand_name',
]; // prettier-ignore

/** A Sendcloud parcels report of 185 parcels: numeric parcel ids, which only "cancel-label" takes. */
export function sendcloudParcelsReport(): { bytes: Buffer; parcelIds: string[] } {
  const parcelIds = Array.from({ length: 185 }, (_, n) => String(331_000_000 + n * 17));
  const value = (column: string, n: number): string => {
    if (column === 'parcel_id') return parcelIds[n] as string;
    if (column === 'order_number') return `ORD-${10_001 + n}`;
    if (column === 'tracking_number') return `3SABCD${String(123_456_789 + n)}`;
    if (column.endsWith('_postal_code')) return ['1012AB', '3511CE', '5611AZ'][n % 3] as string;
    if (column.endsWith('_at')) return `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T09:30:00Z`;
    if (column === 'contract_id' || column === 'integration_id' || column === 'brand_id') return '4471';
    if (column === 'total_cost') return `${(6.95 + (n % 4)).toFixed(2)}`;
    if (column === 'weight') return `${(0.5 + (n % 5) / 2).toFixed(2)}`;
    if (column === 'shipping_option_code') return 'postnl:standard';
    if (column.endsWith('_country_code')) return 'NL';
    if (column === 'direction') return 'outgoing';
    return column === 'status' ? 'Ready to send' : `${column.split('_')[0]} ${n % 5}`;
  };
  const rows = Array.from({ length: 185 }, (_, n) => SENDCLOUD_REPORT_COLUMNS.map((column) => value(column, n)).join(','));
  return { bytes: Buffer.from(`${[SENDCLOUD_REPORT_COLUMNS.join(','), ...rows].join('\n')}\n`, 'utf8'), parcelIds };
}
