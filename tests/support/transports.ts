// Both transports the product ships: the app sends through a Fetch API (Electron's net.fetch, for which Node's
// fetch stands in here), the CLI through undici's request. Tests of HTTP behaviour run over both.
import { fetchTransport, type Transport } from '../../electron/core/providers/http';
import { nodeTransport } from '../../electron/core/providers/node-transport';

export const TRANSPORTS = { fetch: fetchTransport(fetch), undici: nodeTransport } as const satisfies Record<string, Transport>;
export type TransportName = keyof typeof TRANSPORTS;
export const TRANSPORT_NAMES = Object.keys(TRANSPORTS) as TransportName[];
