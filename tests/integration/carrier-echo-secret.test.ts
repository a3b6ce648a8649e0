/**
 * A carrier that echoes the account's key in its error message must not carry the key anywhere we
 * keep or show text: the SQLite file, the CLI's stdout and stderr, the JSON and CSV results, the log.
 * A real HTTP server on 127.0.0.1 echoes a Sorted PRO key, a Sendcloud public and secret key (Basic),
 * and a Sendcloud OAuth2 client secret and the access token issued for it; the batch runs through the
 * built CLI.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount } from '../../electron/core/accounts';
import { encodedForms } from '../../electron/core/log';
import { sendcloudShipmentUuid, sortedReference } from '../simulator';
import { runCli, type CliRun } from '../support/cli';
import { testWorld, type TestWorld } from '../support/fixtures';

const SORTED_KEY = 'sorted-key-4f1c9a7e2b';
const SC_PUBLIC = 'sc-public-7d3e91ab';
const SC_SECRET = 'sc-secret-0b64c2f5';
const CLIENT_ID = 'sc-client-a81f3c';
const CLIENT_SECRET = 'sc-client-secret-59e2d7';
const TOKEN = 'opaque-token-c07e55f1d9';
const SECRETS = [SORTED_KEY, SC_PUBLIC, SC_SECRET, CLIENT_ID, CLIENT_SECRET, TOKEN];

/** Answers every cancel with a 400 whose message repeats the credentials the request carried. */
function echoingCarrier(): Server {
  return createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.url === '/token') return json(200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 });
      const auth = request.headers.authorization ?? '';
      if (request.url?.startsWith('/shipments/')) {
        const key = String(request.headers['x-api-key']);
        return json(400, { code: 'invalid', message: `API key ${key} is not allowed to cancel this shipment.` });
      }
      const credentials = auth.startsWith('Basic ')
        ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':').join(' and ')
        : auth.slice(7);
      return json(400, {
        error: { code: 400, request: request.url, message: `Credentials ${credentials} (${auth}) cannot delete this shipment.` },
      });
    });
  });
}

describe('a key echoed by the carrier', () => {
  let world: TestWorld;
  let server: Server;
  beforeAll(async () => {
    world = testWorld();
    server = echoingCarrier();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const add = (name: string, provider: 'sorted-pro' | 'sendcloud', secret: string, settings = {}) =>
      addAccount(world.db, world.credentials, { provider, name, baseUrl, secret, settings }, Date.now());
    await add('Sorted', 'sorted-pro', SORTED_KEY);
    await add('Shop basic', 'sendcloud', `${SC_PUBLIC}:${SC_SECRET}`, { integrationId: 7 });
    await add('Shop oauth', 'sendcloud', `${CLIENT_ID}:${CLIENT_SECRET}`, {
      integrationId: 7,
      authKind: 'oauth2',
      tokenUrl: `${baseUrl}/token`,
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await world.close();
  });

  it('is kept out of the database, the CLI output, the results and the log', async () => {
    const cli = (...args: string[]) => runCli(['--data-dir', world.dataDir, ...args]);
    const list = join(world.dataDir, 'list.csv');
    writeFileSync(
      list,
      [
        'reference,account',
        `${sortedReference(1)},Sorted`,
        `${sendcloudShipmentUuid(1)},Shop basic`,
        `${sendcloudShipmentUuid(2)},Shop oauth`,
      ]
        .map((line) => `${line}\n`)
        .join(''),
    );
    const imported = await cli('import', list, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const { batchId } = JSON.parse(imported.stdout) as { batchId: string };
    const runs: CliRun[] = [imported, await cli('run', '--batch', batchId, '--max-attempts', '1')];
    runs.push(await cli('results', '--batch', batchId), await cli('results', '--batch', batchId, '--format', 'csv'));
    runs.push(await cli('status', '--batch', batchId));

    const results = JSON.parse(runs[2]?.stdout ?? '') as { Message: string; State: string }[];
    expect(results.map((result) => result.State)).toEqual(['failed', 'failed', 'failed']);
    // The carrier's message is still shown, with the credentials taken out.
    expect(results.map((result) => result.Message).join('\n')).toMatch(/\[redacted\]/);

    const files = readdirSync(world.dataDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(sqlite|sqlite-wal|log)$/.test(name))
      .map((name) => readFileSync(join(world.dataDir, name)).toString('latin1'));
    expect(files.length).toBeGreaterThanOrEqual(2); // the database and the log
    const texts = [...runs.flatMap((run) => [run.stdout, run.stderr]), ...files];
    for (const secret of SECRETS) {
      for (const form of encodedForms(secret)) {
        expect(texts.filter((text) => text.includes(form)).length, `${secret} as ${form}`).toBe(0);
      }
    }
  });
});
