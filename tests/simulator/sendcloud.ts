// Simulated Sendcloud, as the seed page and PROVIDERS.md describe it: the integrations delete
// (`POST /api/v2/integrations/{id}/shipments/delete`, which removes a shop shipment and cancels no label), the
// label-cancel endpoints (v2 `POST /api/v2/parcels/{id}/cancel`, v3 `POST /api/v3/shipments/{id}/cancel`) and
// the reads that tell a label's state (v2 `GET /api/v2/parcels/{id}`, v3 `GET /api/v3/shipments/{id}`),
// HTTP Basic or OAuth2 bearer auth, the OAuth2 client-credentials token endpoint (`POST /oauth2/token/`) and an
// optional write rate limit.
import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from './server';

export const SENDCLOUD_DEFAULT_PUBLIC_KEY = 'sim-sc-public';
export const SENDCLOUD_DEFAULT_SECRET_KEY = 'sim-sc-secret';
export const SENDCLOUD_DEFAULT_CLIENT_ID = 'sim-sc-client';
export const SENDCLOUD_DEFAULT_CLIENT_SECRET = 'sim-sc-client-secret';
export const SENDCLOUD_DEFAULT_TOKEN_EXPIRES_IN = 3600;

// The client shows these texts to the clerk, so they are part of the simulator's contract. The integration
// delete's texts are the seed's own, word for word.
export const sendcloudMessages = {
  missingShipment: 'Missing shipment_uuid or the pair external_order_id and external_shipment_id',
  invalidUuid: 'Must be a valid UUID.',
  integrationNotFound: 'No Integration matches the given query.',
  shipmentNotFound: 'No ShipmentBlob matches the given query.',
  parcelNotFound: 'No Parcel matches the given query.',
  unauthorized: 'Invalid username/password.',
  throttled: 'Request was throttled.',
  unsupportedMediaType: (mediaType: string) => `Unsupported media type "${mediaType}" in request.`,
  jsonParseError: (detail: string) => `JSON parse error - ${detail}`,
  parcelCancelled: 'Parcel has been cancelled',
  parcelQueued: 'Parcel cancellation has been queued',
  parcelDeleted: 'Parcel has been deleted',
  alreadyBeingCancelled: 'This shipment is already being cancelled.',
  shipmentCancelled: 'Shipment has been cancelled',
  shipmentQueued: 'Shipment cancellation has been queued',
  v3NotFound: 'Not found',
} as const;

/**
 * How a label answers its first cancel: `cancelled` 200; `queued` 202 (pending); `deleted` 410 (an unannounced
 * parcel is removed; v2 parcels only); `{ failed }` 400 (v2) or 409 (v3) with that message, state unchanged.
 * Once cancelled or queued, every further cancel answers "This shipment is already being cancelled.".
 */
export type SendcloudCancelBehaviour = 'cancelled' | 'queued' | 'deleted' | { failed: string };
export type SendcloudV3CancelBehaviour = Exclude<SendcloudCancelBehaviour, 'deleted'>;
/** `active` until cancelled; `deleted` labels answer 404 from then on. */
export type SendcloudLabelStatus = 'active' | 'cancelled' | 'queued' | 'deleted';

export interface SendcloudShipment {
  /** Lower-case, hyphenated. */
  uuid: string;
  externalOrderId?: string;
  externalShipmentId?: string;
}

export type SendcloudShipmentKey = { uuid: string } | { externalOrderId: string; externalShipmentId: string };

export interface SendcloudKeyPair {
  publicKey: string;
  secretKey: string;
}

export interface SendcloudClient {
  clientId: string;
  clientSecret: string;
}

export interface SendcloudRateLimit {
  /** Write requests (the POSTs above, not the token endpoint) accepted per rolling second; 15 on the real API. */
  perSecond?: number;
  /** Write requests accepted per rolling minute; 100 on the real API. */
  perMinute?: number;
}

export interface SendcloudOptions {
  /** HTTP Basic credentials (default one pair: `sim-sc-public` / `sim-sc-secret`). */
  keyPairs?: SendcloudKeyPair[];
  /** OAuth2 clients for the token endpoint (default one: `sim-sc-client` / `sim-sc-client-secret`). */
  clients?: SendcloudClient[];
  /** `expires_in` of new tokens, in seconds (default 3600). */
  tokenExpiresIn?: number;
  /** Off unless given. */
  rateLimit?: SendcloudRateLimit;
}

/**
 * Who a request authenticates as: the public key (Basic) or the client id the token was issued to (Bearer).
 * An integration, parcel or v3 shipment added with `owners` is visible only to those principals (others get the
 * 404 the real API gives for another user's objects), which catches items sent with the wrong account.
 */
export type SendcloudPrincipal = string;

interface Integration {
  owners: Set<string> | undefined;
  /** By lower-case uuid. */
  shipments: Map<string, SendcloudShipment>;
}

interface Label {
  behaviour: SendcloudCancelBehaviour;
  status: SendcloudLabelStatus;
  owners: Set<string> | undefined;
}

interface Token {
  clientId: string;
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// n = 0 gives the seed's own example, 39874b59-2a68-4a3d-8e00-aeb9e0540d00; later numbers count up from there.
const UUID_PREFIX = '39874b59-2a68-4a3d-8e00-';
const UUID_OFFSET = 0xaeb9e0540d00;

/** The n-th deterministic shipment uuid (n = 0 is the seed's example). */
export function sendcloudShipmentUuid(n: number): string {
  const tail = (UUID_OFFSET + n).toString(16).padStart(12, '0');
  if (!Number.isSafeInteger(n) || n < 0 || tail.length > 12) throw new RangeError(`No uuid for ${n}`);
  return UUID_PREFIX + tail;
}

function json(status: number, value: unknown): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}

type Style = 'v2' | 'v3';

/** The error body each API version uses: v2 `{error:{code,request,message}}`, v3 `{errors:[{status,code,detail}]}`. */
function apiError(style: Style, status: number, request: string, message: string, v3Code: string): SimResponse {
  if (style === 'v2') return json(status, { error: { code: status, request, message } });
  return json(status, { errors: [{ status: String(status), code: v3Code, detail: message }] });
}

function decodeBasic(header: string): { user: string; password: string } | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Path segments with an optional trailing slash (`a/b/` gives a trailing empty segment) removed. */
function withoutTrailingSlash(segments: string[]): string[] {
  return segments.length > 1 && segments.at(-1) === '' ? segments.slice(0, -1) : segments;
}

function mediaType(request: SimRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

export class SendcloudState {
  /** Public key → secret key. */
  readonly keyPairs = new Map<string, string>();
  /** Client id → client secret. */
  readonly clients = new Map<string, string>();
  tokenExpiresIn: number;
  rateLimit: SendcloudRateLimit | undefined;
  /** Number of tokens the token endpoint (or `issueToken`) has handed out. */
  tokensIssued = 0;
  private readonly tokens = new Map<string, Token>();
  private readonly integrations = new Map<number, Integration>();
  private readonly parcels = new Map<number, Label>();
  private readonly v3Shipments = new Map<string, Label>();
  private readonly writes: number[] = [];
  private nextSeed = 0;

  constructor(options: SendcloudOptions = {}) {
    for (const { publicKey, secretKey } of options.keyPairs ?? [
      { publicKey: SENDCLOUD_DEFAULT_PUBLIC_KEY, secretKey: SENDCLOUD_DEFAULT_SECRET_KEY },
    ]) {
      this.keyPairs.set(publicKey, secretKey);
    }
    for (const { clientId, clientSecret } of options.clients ?? [
      { clientId: SENDCLOUD_DEFAULT_CLIENT_ID, clientSecret: SENDCLOUD_DEFAULT_CLIENT_SECRET },
    ]) {
      this.clients.set(clientId, clientSecret);
    }
    this.tokenExpiresIn = options.tokenExpiresIn ?? SENDCLOUD_DEFAULT_TOKEN_EXPIRES_IN;
    this.rateLimit = options.rateLimit;
  }

  // ---- integrations and their shipments (the seed's endpoint) ----

  /** Adds an integration (keeping its shipments if it exists); `owners` limits who sees it. */
  addIntegration(id: number, options: { owners?: SendcloudPrincipal[] } = {}): void {
    const existing = this.integrations.get(id);
    const owners = options.owners && new Set(options.owners);
    if (existing) existing.owners = owners;
    else this.integrations.set(id, { owners, shipments: new Map() });
  }

  hasIntegration(id: number): boolean {
    return this.integrations.has(id);
  }

  /**
   * Adds a shipment to an integration (created if needed) and returns it. Left out, the uuid and the external
   * pair are generated deterministically (`sendcloudShipmentUuid`, `100000+n`, `S0000n`), as a shop would have
   * them; giving only some fields generates only the uuid.
   */
  addShipment(integrationId: number, shipment: Partial<SendcloudShipment> = {}): SendcloudShipment {
    if (!this.integrations.has(integrationId)) this.addIntegration(integrationId);
    const n = this.nextSeed++;
    const generatePair = shipment.externalOrderId === undefined && shipment.externalShipmentId === undefined;
    const stored: SendcloudShipment = {
      uuid: (shipment.uuid ?? sendcloudShipmentUuid(n)).toLowerCase(),
      ...(generatePair
        ? { externalOrderId: String(100000 + n), externalShipmentId: `S${String(n).padStart(5, '0')}` }
        : { externalOrderId: shipment.externalOrderId, externalShipmentId: shipment.externalShipmentId }),
    };
    this.integrations.get(integrationId)?.shipments.set(stored.uuid, stored);
    return { ...stored };
  }

  /** Adds `count` generated shipments to an integration and returns them. */
  seedShipments(integrationId: number, count: number): SendcloudShipment[] {
    return Array.from({ length: count }, () => this.addShipment(integrationId));
  }

  hasShipment(integrationId: number, key: SendcloudShipmentKey): boolean {
    const integration = this.integrations.get(integrationId);
    return integration !== undefined && this.findShipment(integration, key) !== undefined;
  }

  /** Copies of an integration's shipments (empty for an unknown integration). */
  shipments(integrationId: number): SendcloudShipment[] {
    return [...(this.integrations.get(integrationId)?.shipments.values() ?? [])].map((s) => ({ ...s }));
  }

  // ---- labels (parcels v2, shipments v3) ----

  addParcel(
    id: number,
    behaviour: SendcloudCancelBehaviour = 'cancelled',
    options: { owners?: SendcloudPrincipal[] } = {},
  ): void {
    this.parcels.set(id, { behaviour, status: 'active', owners: options.owners && new Set(options.owners) });
  }

  parcelStatus(id: number): SendcloudLabelStatus | undefined {
    return this.parcels.get(id)?.status;
  }

  addV3Shipment(
    id: string | number,
    behaviour: SendcloudV3CancelBehaviour = 'cancelled',
    options: { owners?: SendcloudPrincipal[] } = {},
  ): void {
    this.v3Shipments.set(String(id), { behaviour, status: 'active', owners: options.owners && new Set(options.owners) });
  }

  v3ShipmentStatus(id: string | number): SendcloudLabelStatus | undefined {
    return this.v3Shipments.get(String(id))?.status;
  }

  // ---- credentials and tokens ----

  addKeyPair(publicKey: string, secretKey: string): void {
    this.keyPairs.set(publicKey, secretKey);
  }

  addClient(clientId: string, clientSecret: string): void {
    this.clients.set(clientId, clientSecret);
  }

  /** Issues a token as the token endpoint would, without HTTP. */
  issueToken(clientId: string = SENDCLOUD_DEFAULT_CLIENT_ID, expiresIn: number = this.tokenExpiresIn): string {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: Date.now() + expiresIn * 1000 });
    this.tokensIssued += 1;
    return token;
  }

  /** Expires every token issued so far, so the next request with one gets 401 (a client must then refresh). */
  expireTokens(): void {
    this.tokens.clear();
  }

  /** Tokens issued and not yet expired. */
  activeTokens(): number {
    const now = Date.now();
    return [...this.tokens.values()].filter((t) => t.expiresAt > now).length;
  }

  // ---- HTTP ----

  handle(request: SimRequest): SimResponse | undefined {
    const segments = withoutTrailingSlash(request.segments);
    const path = segments.join('/');
    const [a, b, c, id, d, e, ...rest] = segments;
    if (request.method === 'GET' && a === 'api' && id !== undefined && d === undefined) {
      if (b === 'v2' && c === 'parcels') return this.guard(request, 'v2', path) ?? this.readParcel(request, path, id);
      if (b === 'v3' && c === 'shipments') return this.guard(request, 'v3', path) ?? this.readV3Shipment(request, path, id);
    }
    if (request.method !== 'POST') return undefined;
    if (a === 'oauth2' && b === 'token' && c === undefined) return this.token(request);
    if (a !== 'api' || id === undefined || id === '') return undefined;
    if (b === 'v2' && c === 'integrations' && d === 'shipments' && e === 'delete' && rest.length === 0) {
      return this.guard(request, 'v2', path) ?? this.deleteShipment(request, path, id);
    }
    if (b === 'v2' && c === 'parcels' && d === 'cancel' && e === undefined) {
      return this.guard(request, 'v2', path) ?? this.cancelParcel(request, path, id);
    }
    if (b === 'v3' && c === 'shipments' && d === 'cancel' && e === undefined) {
      return this.guard(request, 'v3', path) ?? this.cancelV3Shipment(request, path, id);
    }
    return undefined;
  }

  /** The rate limit, then authentication; undefined when the request may go on. */
  private guard(request: SimRequest, style: Style, path: string): SimResponse | undefined {
    if (this.throttled()) return apiError(style, 429, path, sendcloudMessages.throttled, 'throttled');
    if (this.principal(request) === undefined) {
      return apiError(style, 401, path, sendcloudMessages.unauthorized, 'unauthorized');
    }
    return undefined;
  }

  /** Counts an accepted write, or says it is over the limit (rejected writes do not count). */
  private throttled(): boolean {
    const limit = this.rateLimit;
    if (limit === undefined) return false;
    const now = Date.now();
    while (this.writes.length > 0 && (this.writes[0] ?? now) <= now - 60_000) this.writes.shift();
    const lastSecond = this.writes.filter((t) => t > now - 1000).length;
    if (limit.perSecond !== undefined && lastSecond >= limit.perSecond) return true;
    if (limit.perMinute !== undefined && this.writes.length >= limit.perMinute) return true;
    this.writes.push(now);
    return false;
  }

  private principal(request: SimRequest): SendcloudPrincipal | undefined {
    const header = request.headers.authorization ?? '';
    const basic = decodeBasic(header);
    if (basic) return this.keyPairs.get(basic.user) === basic.password ? basic.user : undefined;
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (bearer === undefined) return undefined;
    const token = this.tokens.get(bearer);
    return token && token.expiresAt > Date.now() ? token.clientId : undefined;
  }

  private visible(owners: Set<string> | undefined, request: SimRequest): boolean {
    const principal = this.principal(request);
    return owners === undefined || (principal !== undefined && owners.has(principal));
  }

  private findShipment(integration: Integration, key: SendcloudShipmentKey): SendcloudShipment | undefined {
    if ('uuid' in key) return integration.shipments.get(key.uuid.toLowerCase());
    for (const shipment of integration.shipments.values()) {
      if (shipment.externalOrderId === key.externalOrderId && shipment.externalShipmentId === key.externalShipmentId) {
        return shipment;
      }
    }
    return undefined;
  }

  private deleteShipment(request: SimRequest, path: string, rawId: string): SimResponse {
    const error = (status: number, message: string): SimResponse => apiError('v2', status, path, message, '');
    const integration = /^\d+$/.test(rawId) ? this.integrations.get(Number(rawId)) : undefined;
    if (integration === undefined || !this.visible(integration.owners, request)) {
      return error(404, sendcloudMessages.integrationNotFound);
    }
    const type = mediaType(request);
    if (type !== 'application/json') return error(415, sendcloudMessages.unsupportedMediaType(type ?? ''));
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch (parseError) {
      return error(400, sendcloudMessages.jsonParseError(parseError instanceof Error ? parseError.message : String(parseError)));
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(400, sendcloudMessages.missingShipment);
    const fields = body as Record<string, unknown>;
    let key: SendcloudShipmentKey;
    if (fields.shipment_uuid !== undefined && fields.shipment_uuid !== null) {
      if (typeof fields.shipment_uuid !== 'string' || !UUID.test(fields.shipment_uuid)) {
        return error(400, sendcloudMessages.invalidUuid);
      }
      key = { uuid: fields.shipment_uuid };
    } else {
      const { external_order_id: orderId, external_shipment_id: shipmentId } = fields;
      if (typeof orderId !== 'string' || orderId === '' || typeof shipmentId !== 'string' || shipmentId === '') {
        return error(400, sendcloudMessages.missingShipment);
      }
      key = { externalOrderId: orderId, externalShipmentId: shipmentId };
    }
    const shipment = this.findShipment(integration, key);
    if (shipment === undefined) return error(404, sendcloudMessages.shipmentNotFound);
    integration.shipments.delete(shipment.uuid);
    return { status: 204 };
  }

  private cancelParcel(request: SimRequest, path: string, rawId: string): SimResponse {
    const parcel = /^\d+$/.test(rawId) ? this.parcels.get(Number(rawId)) : undefined;
    if (parcel === undefined || parcel.status === 'deleted' || !this.visible(parcel.owners, request)) {
      return apiError('v2', 404, path, sendcloudMessages.parcelNotFound, '');
    }
    if (parcel.status !== 'active') return json(400, { status: 'failed', message: sendcloudMessages.alreadyBeingCancelled });
    const { behaviour } = parcel;
    if (typeof behaviour === 'object') return json(400, { status: 'failed', message: behaviour.failed });
    parcel.status = behaviour;
    if (behaviour === 'queued') return json(202, { status: 'queued', message: sendcloudMessages.parcelQueued });
    if (behaviour === 'deleted') return json(410, { status: 'deleted', message: sendcloudMessages.parcelDeleted });
    return json(200, { status: 'cancelled', message: sendcloudMessages.parcelCancelled });
  }

  /** `GET /api/v2/parcels/{id}`: the parcel with its `status: {id, message}` (Sendcloud's parcel status ids). */
  private readParcel(request: SimRequest, path: string, rawId: string): SimResponse {
    const parcel = /^\d+$/.test(rawId) ? this.parcels.get(Number(rawId)) : undefined;
    if (parcel === undefined || parcel.status === 'deleted' || !this.visible(parcel.owners, request)) {
      return apiError('v2', 404, path, sendcloudMessages.parcelNotFound, '');
    }
    const status = { active: [1000, 'Ready to send'], cancelled: [2000, 'Cancelled'], queued: [1999, 'Cancellation requested'] }[
      parcel.status
    ];
    return json(200, { parcel: { id: Number(rawId), status: { id: status[0], message: status[1] } } });
  }

  /** `GET /api/v3/shipments/{id}`: the shipment with each parcel's `status: {code, message}`. */
  private readV3Shipment(request: SimRequest, path: string, id: string): SimResponse {
    const shipment = this.v3Shipments.get(id);
    if (shipment === undefined || shipment.status === 'deleted' || !this.visible(shipment.owners, request)) {
      return apiError('v3', 404, path, sendcloudMessages.v3NotFound, 'not_found');
    }
    const status = {
      active: ['READY_TO_SEND', 'Ready to send'],
      cancelled: ['CANCELLED', 'Cancelled'],
      queued: ['CANCELLATION_REQUESTED', 'Cancellation requested'],
    }[shipment.status];
    return json(200, { data: { id, parcels: [{ status: { code: status[0], message: status[1] } }] } });
  }

  private cancelV3Shipment(request: SimRequest, path: string, id: string): SimResponse {
    const shipment = this.v3Shipments.get(id);
    if (shipment === undefined || shipment.status === 'deleted' || !this.visible(shipment.owners, request)) {
      return apiError('v3', 404, path, sendcloudMessages.v3NotFound, 'not_found');
    }
    if (shipment.status !== 'active') {
      return apiError('v3', 409, path, sendcloudMessages.alreadyBeingCancelled, 'invalid');
    }
    const { behaviour } = shipment;
    if (typeof behaviour === 'object') return apiError('v3', 409, path, behaviour.failed, 'invalid');
    if (behaviour === 'queued') {
      shipment.status = 'queued';
      return json(202, { data: { status: 'queued', message: sendcloudMessages.shipmentQueued } });
    }
    shipment.status = 'cancelled';
    return json(200, { data: { status: 'cancelled', message: sendcloudMessages.shipmentCancelled } });
  }

  /** `POST /oauth2/token/`: the client-credentials grant, client authenticated by Basic or by form fields. */
  private token(request: SimRequest): SimResponse {
    const oauthError = (status: number, error: string, description: string): SimResponse => ({
      status,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ error, error_description: description }),
    });
    if (mediaType(request) !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(request.body);
    const grant = form.get('grant_type');
    if (grant === null || grant === '') return oauthError(400, 'invalid_request', 'Missing grant_type parameter');
    if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
    const basic = decodeBasic(request.headers.authorization ?? '');
    const formClient = form.get('client_id');
    if (basic && formClient !== null) {
      return oauthError(400, 'invalid_request', 'Use only one method of client authentication');
    }
    // RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64.
    const decode = (value: string): string => {
      try {
        return decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        return value;
      }
    };
    const clientId = basic ? decode(basic.user) : formClient;
    const clientSecret = basic ? decode(basic.password) : form.get('client_secret');
    if (clientId === null || clientSecret === null || this.clients.get(clientId) !== clientSecret) {
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const scope = form.get('scope');
    if (scope !== null && scope.split(' ').some((s) => s !== '' && s !== 'api')) {
      return oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed');
    }
    const accessToken = this.issueToken(clientId);
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenExpiresIn, scope: 'api' }),
    };
  }
}
