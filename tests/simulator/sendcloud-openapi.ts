// The OpenAPI document of Sendcloud's integrations delete, read from the seed page at run time, and validators
// built on it: so the simulator's answers and the app's requests are both checked against the seed itself.
import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const SEED_FROM_REPO_ROOT = '../shared/seeds/sendcloud-v2-integrations-delete-shipments.md';

/** The seed page, found from the repository root as `../shared/seeds/…` (the root is two levels above this file). */
export const SENDCLOUD_DELETE_SEED_PATH = import.meta.url.startsWith('file:')
  ? fileURLToPath(new URL(`../../${SEED_FROM_REPO_ROOT}`, import.meta.url))
  : resolvePath(process.cwd(), SEED_FROM_REPO_ROOT); // bundled: assume the repository root is the working directory

const OPERATION_PATH = '/integrations/{id}/shipments/delete';

export interface SendcloudDeleteOpenApi {
  /** The whole parsed OpenAPI document. */
  document: Record<string, unknown>;
  /** `requestBody.content['application/json']`: its `schema` (the oneOf) and `examples`. */
  requestBody: { schema: unknown; examples: Record<string, { value: unknown }> };
  /** Per documented status (`'400'`, `'404'`): the JSON schema and examples, with `$ref`s to responses resolved. */
  responses: Record<string, { schema: unknown; examples: Record<string, { value: unknown }> }>;
}

/** Extracts the fenced YAML block (```` ```yaml ```` or longer fences) from a seed page. */
export function extractOpenApiYaml(markdown: string): string {
  const match = /^(`{3,})yaml\b[^\n]*\n([\s\S]*?)^\1[ \t]*$/m.exec(markdown);
  if (!match?.[2]) throw new Error('No ```yaml block in the Sendcloud seed page');
  return match[2];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Walks `keys` from `root`, failing with the path that was missing. */
function at(root: unknown, ...keys: string[]): Record<string, unknown> {
  let node = root;
  for (const [i, key] of keys.entries()) {
    if (!isRecord(node) || !(key in node)) {
      throw new Error(`The seed's OpenAPI document has no ${keys.slice(0, i + 1).join(' → ')}`);
    }
    node = node[key];
  }
  if (!isRecord(node)) throw new Error(`The seed's OpenAPI ${keys.join(' → ')} is not an object`);
  return node;
}

/** Resolves a local `$ref` such as `#/components/responses/404-Shipments`. */
function resolve(document: unknown, node: Record<string, unknown>): Record<string, unknown> {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#/')) throw new Error(`Unsupported $ref ${ref}`);
  const keys = ref
    .slice(2)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  return at(document, ...keys);
}

function examplesOf(media: Record<string, unknown>): Record<string, { value: unknown }> {
  const examples = media.examples;
  if (!isRecord(examples)) return {};
  return Object.fromEntries(
    Object.entries(examples).flatMap(([name, example]) => (isRecord(example) ? [[name, { value: example.value }]] : [])),
  );
}

let cached: SendcloudDeleteOpenApi | undefined;

/** Reads and parses the seed's OpenAPI document (once); throws a clear error when the seed page is absent. */
export function loadSendcloudDeleteOpenApi(seedPath: string = SENDCLOUD_DELETE_SEED_PATH): SendcloudDeleteOpenApi {
  if (seedPath === SENDCLOUD_DELETE_SEED_PATH && cached) return cached;
  if (!existsSync(seedPath)) {
    throw new Error(
      `The Sendcloud seed page is missing: ${seedPath}. It must sit at ../shared/seeds/ beside the repository, ` +
        'because the OpenAPI validation reads the seed itself.',
    );
  }
  const document: unknown = parse(extractOpenApiYaml(readFileSync(seedPath, 'utf8')));
  if (!isRecord(document)) throw new Error('The seed YAML block is not an OpenAPI document');
  const operation = at(document, 'paths', OPERATION_PATH, 'post');
  const requestMedia = at(operation, 'requestBody', 'content', 'application/json');
  const responses: SendcloudDeleteOpenApi['responses'] = {};
  for (const [status, raw] of Object.entries(at(operation, 'responses'))) {
    if (!isRecord(raw)) continue;
    const response = resolve(document, raw);
    const media = isRecord(response.content) ? response.content['application/json'] : undefined;
    if (isRecord(media)) responses[status] = { schema: media.schema, examples: examplesOf(media) };
  }
  const loaded = { document, requestBody: { schema: requestMedia.schema, examples: examplesOf(requestMedia) }, responses };
  if (seedPath === SENDCLOUD_DELETE_SEED_PATH) cached = loaded;
  return loaded;
}

/** An Ajv for OpenAPI 3.1 schemas: JSON Schema 2020-12, `format` checked, OpenAPI's own keywords allowed. */
export function createOpenApiAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();

function validator(key: 'request' | `response ${string}`, schema: () => unknown): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    const value = schema();
    if (!isRecord(value)) throw new Error(`The seed documents no JSON schema for the ${key}`);
    validate = createOpenApiAjv().compile(value);
    compiled.set(key, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath === '' ? '(body)' : e.instancePath} ${e.message ?? e.keyword}`);
}

/**
 * Checks a request body (already parsed from JSON) against the seed's requestBody schema: exactly one of
 * `{shipment_uuid}` (a UUID) or `{external_order_id, external_shipment_id}`. Returns the errors, empty when valid.
 */
export function validateSendcloudDeleteRequest(body: unknown): string[] {
  const validate = validator('request', () => loadSendcloudDeleteOpenApi().requestBody.schema);
  return validate(body) ? [] : describeErrors(validate.errors);
}

/**
 * Checks an answer against the seed's responses: 204 must have an empty body; a documented JSON status its
 * schema (`body` already parsed); any other status is an error. Returns the errors, empty when valid.
 */
export function validateSendcloudDeleteResponse(status: number, body: unknown): string[] {
  if (status === 204) return body === undefined || body === '' ? [] : ['(body) a 204 answer must have no body'];
  const documented = loadSendcloudDeleteOpenApi().responses[String(status)];
  if (!documented) return [`status ${status} is not documented for this operation`];
  const validate = validator(`response ${status}`, () => documented.schema);
  return validate(body) ? [] : describeErrors(validate.errors);
}
