/**
 * Secrets never leave main: after a full run with every provider's kind of credential, refused keys
 * (401) and busy servers (5xx) included, no secret (nor its Basic-auth form, nor an OAuth2 token) is
 * in the data directory, the log, the diagnostics for support, an IPC reply or event, an export, or
 * anything printed; and the log does hold the facts support needs. And with no Secret Service
 * reachable, adding an account says clearly what to install, stores nothing, and can keep the key in
 * memory only when asked.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSessionFallback } from '../../electron/core/credentials/session';
import { dispatch } from '../../electron/core/dispatch';
import { openLog } from '../../electron/core/log';
import { resultsToCsv, listResults, toRecords } from '../../electron/core/results';
import { createService } from '../../electron/core/service';
import {
  ELECTIO_DEFAULT_API_KEY,
  SORTED_DEFAULT_API_KEY,
  electioReference,
  sendcloudShipmentUuid,
  sortedReference,
  startSimulator,
  type Simulator,
} from '../simulator';
import { tempDir, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';

const SECRETS = {
  electio: ELECTIO_DEFAULT_API_KEY,
  sorted: SORTED_DEFAULT_API_KEY,
  basicPublic: 'sim-sc-public',
  basicSecret: 'sim-sc-secret',
  clientId: 'sim-sc-client',
  clientSecret: 'sim-sc-client-secret',
  /** Keys the providers refuse (401): their messages are logged, the keys never. */
  wrongElectio: 'wrong-electio-key-4711',
  wrongClientSecret: 'not-the-client-secret-0815',
};

/** Every file under a folder, as text. */
function filesUnder(dir: string, skip: (path: string) => boolean = () => false): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => !skip(path) && statSync(path).isFile())
    .map((path) => readFileSync(path).toString('latin1'))
    .join('\n');
}

function forms(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

describe('secrets stay in main', () => {
  let sim: Simulator;
  let world: TestWorld;
  beforeAll(async () => {
    sim = await startSimulator();
    world = testWorld();
  });
  afterAll(async () => {
    await sim.close();
    await world.close();
  });

  it('are absent from the SQLite files, the log, diagnostics, IPC replies, events, exports and output after a full run', async () => {
    const printed: string[] = [];
    const write = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      return () => {
        stream.write = original;
      };
    };
    const restore = [write(process.stdout), write(process.stderr)];
    const logDir = join(world.dataDir, 'logs');
    const log = openLog(logDir);
    const copied: string[] = [];
    const service = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      transport: TRANSPORTS.fetch,
      owner: 'secrets-test',
      log,
      copyText: (text) => {
        copied.push(text);
      },
      runOptions: { pacing: false, backoffBaseMs: 10, backoffCapMs: 50 },
    });
    const wire: unknown[] = [];
    service.onEvent((event, payload) => wire.push({ event, payload }));
    const call = async (channel: string, payload: unknown) => {
      const reply = await dispatch(service.handlers, channel, payload);
      wire.push(reply);
      if (!reply.ok) throw new Error(reply.error.message);
      return reply.value as never;
    };
    try {
      await call('accounts.add', { provider: 'electio', name: 'E', baseUrl: sim.url, secret: SECRETS.electio });
      await call('accounts.add', { provider: 'electio', name: 'E refused', baseUrl: sim.url, secret: SECRETS.wrongElectio });
      await call('accounts.add', { provider: 'sorted-pro', name: 'S', baseUrl: sim.url, secret: SECRETS.sorted });
      await call('accounts.add', {
        provider: 'sendcloud',
        name: 'Basic',
        baseUrl: sim.url,
        settings: { integrationId: 1, authKind: 'basic' },
        secret: `${SECRETS.basicPublic}:${SECRETS.basicSecret}`,
      });
      const oauth: { id: string } = await call('accounts.add', {
        provider: 'sendcloud',
        name: 'OAuth',
        baseUrl: sim.url,
        settings: { integrationId: 2, authKind: 'oauth2', tokenUrl: `${sim.url}/oauth2/token/` },
        secret: `${SECRETS.clientId}:${SECRETS.clientSecret}`,
      });
      await call('accounts.add', {
        provider: 'sendcloud',
        name: 'OAuth refused',
        baseUrl: sim.url,
        settings: { integrationId: 3, authKind: 'oauth2', tokenUrl: `${sim.url}/oauth2/token/` },
        secret: `${SECRETS.clientId}:${SECRETS.wrongClientSecret}`,
      });
      sim.electio.add([electioReference(1), electioReference(2)]);
      sim.sortedPro.add([sortedReference(1)]);
      sim.sendcloud.addShipment(1, { uuid: sendcloudShipmentUuid(1) });
      sim.sendcloud.addShipment(2, { uuid: sendcloudShipmentUuid(2) });
      sim.sendcloud.addShipment(3, { uuid: sendcloudShipmentUuid(3) });
      const text = [
        'Reference,Account',
        `${electioReference(1)},E`,
        `${electioReference(2)},E refused`,
        `${sortedReference(1)},S`,
        `${sendcloudShipmentUuid(1)},Basic`,
        `${sendcloudShipmentUuid(2)},OAuth`,
        `${sendcloudShipmentUuid(3)},OAuth refused`,
      ].join('\n');
      const source = { kind: 'text', fileName: 'mixed.csv', text };
      const { draftId }: { draftId: string } = await call('import.preview', { source });
      const { batchId }: { batchId: string } = await call('import.confirm', { draftId, accounts: {} });
      // The first cancels meet a busy server (5xx) and are retried; the token endpoint is left alone.
      sim.faults.set({ seed: 3, rules: [{ stateChanging: true, path: /^\/(?!oauth2)/, serverError: 1, maxFaults: 3 }] });
      await call('batch.start', { batchId });
      for (let i = 0; i < 400; i++) {
        const summary: { running: boolean } = await call('batch.summary', { batchId });
        if (!summary.running) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      sim.faults.clear();
      expect(sim.faults.counts().serverError).toBe(3);
      const { rows: results }: { rows: { Data: string; State: string; Account: string }[] } = await call('results.page', {
        batchId,
        offset: 0,
        limit: 100,
      });
      expect(Object.fromEntries(results.map((r) => [r.Account, r.State]))).toEqual({
        E: 'succeeded',
        'E refused': 'queued',
        S: 'succeeded',
        Basic: 'succeeded',
        OAuth: 'succeeded',
        'OAuth refused': 'queued',
      });
      await call('accounts.update', { id: oauth.id, name: 'OAuth renamed' });
      await call('app.diagnostics', {});
      // A careless message holding every key the service loaded: the log scrubs them all the same.
      log.warn('careless message', { note: Object.values(SECRETS).join(' and ') });
      await service.close();
      await log.flush();

      const tokens = sim.requests.flatMap((r) =>
        r.headers.authorization?.startsWith('Bearer ') ? [r.headers.authorization.slice(7)] : [],
      );
      expect(tokens.length).toBeGreaterThan(0);
      const needles = [
        ...Object.values(SECRETS).flatMap(forms),
        ...forms(`${SECRETS.basicPublic}:${SECRETS.basicSecret}`),
        ...forms(`${SECRETS.clientId}:${SECRETS.clientSecret}`),
        ...forms(`${SECRETS.clientId}:${SECRETS.wrongClientSecret}`),
        ...tokens.flatMap(forms),
      ];

      const exported = resultsToCsv(listResults(world.db, batchId)) + JSON.stringify(toRecords(listResults(world.db, batchId)));
      world.db.pragma('wal_checkpoint(TRUNCATE)');
      const logged = filesUnder(logDir);
      const diagnostics = copied.join('\n');
      const haystacks = {
        sqlite: filesUnder(world.dataDir, (path) => path.startsWith(logDir)),
        log: logged,
        diagnostics,
        ipc: JSON.stringify(wire),
        exports: exported,
        printed: printed.join(''),
      };
      for (const needle of needles) {
        for (const [where, text] of Object.entries(haystacks))
          expect(text.includes(needle), `${needle} found in ${where}`).toBe(false);
      }

      // The log is not empty: it says what support needs, without the keys.
      expect(logged).toMatch(/INFO {2}account added name=E provider=electio baseUrl=http:\/\/127\.0\.0\.1:\d+/);
      expect(logged).toMatch(/account added name="OAuth refused" provider=sendcloud .*auth=oauth2 integration=3/);
      expect(logged).toMatch(/account added name=Basic provider=sendcloud .*auth=basic integration=1/);
      expect(logged).toContain(`batch started batch=${batchId} queued=6`);
      expect(logged).toMatch(new RegExp(`batch stopped sending batch=${batchId} .*succeeded=4 .*attention=`));
      for (const provider of ['electio', 'sorted-pro', 'sendcloud']) {
        expect(logged).toMatch(
          new RegExp(`INFO {2}attempt batch=${batchId} provider=${provider} .*status=20\\d ms=\\d+ items=1 outcome=succeeded:`),
        );
      }
      expect(logged).toMatch(/WARN {2}attempt .*provider=\w.* status=50\d .*outcome=retry:provider_error/);
      expect(logged).toMatch(
        /WARN {2}attempt .*account="E refused" .*status=401 .*outcome=account-held message="Electio refused/,
      );
      expect(logged).toMatch(
        /WARN {2}attempt .*account="OAuth refused" endpoint="POST \/oauth2\/token\/" status=401 .*message="Sendcloud refused the account's OAuth2 client id and secret/,
      );
      expect(logged).toContain('account changed name="OAuth renamed"');
      expect(logged).toContain('INFO  diagnostics copied');
      expect(logged).toMatch(/WARN {2}careless message note="\[redacted\] and \[redacted\]/);

      // Diagnostics: the accounts by name and kind of key, the counts, and the recent (redacted) log.
      expect(copied).toHaveLength(1);
      expect(diagnostics).toMatch(
        /"Basic": Sendcloud; http:\/\/127\.0\.0\.1:\d+\/?; HTTP Basic \(public and secret key\) in the system keychain; integration 1/,
      );
      expect(diagnostics).toMatch(
        /"OAuth renamed": Sendcloud; .*; OAuth2 client id and secret in the system keychain; integration 2; token URL/,
      );
      expect(diagnostics).toMatch(/"E": Electio \(Sorted PRO v1\); .*; API key in the system keychain; not sending now/);
      expect(diagnostics).toContain('Items: queued 2, in_flight 0, succeeded 4, failed 0, pending 0, stopped 0');
      expect(diagnostics).toMatch(/Database: schema \d+, [\d.]+ MiB/);
      expect(diagnostics).toContain(`Log folder: ${logDir}`);
      expect(diagnostics).toMatch(/attempt batch=\S+ provider=sendcloud .*status=401/);
    } finally {
      restore.forEach((undo) => undo());
    }
  });

  it('with no Secret Service: a clear keychain error, nothing stored; in memory only when the clerk agrees', () => {
    const probe = `
      import { openDatabase } from './electron/core/db/open';
      import { keychainStore } from './electron/core/credentials/store';
      import { withSessionFallback } from './electron/core/credentials/session';
      import { createService } from './electron/core/service';
      import { dispatch } from './electron/core/dispatch';
      import { fetchTransport } from './electron/core/providers/http';
      const db = openDatabase(process.argv.at(-1));
      const service = createService({ db, credentials: withSessionFallback(keychainStore()), transport: fetchTransport(fetch), owner: 'probe' });
      const request = { provider: 'electio', name: 'No keychain', secret: 'probe-secret-123' };
      const refused = await dispatch(service.handlers, 'accounts.add', request);
      const listed = await dispatch(service.handlers, 'accounts.list', {});
      const kept = await dispatch(service.handlers, 'accounts.add', { ...request, keepInMemory: true });
      db.close();
      console.log(JSON.stringify({ refused, listed, kept }));
    `;
    const dir = tempDir();
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe, dir.path], {
        cwd: process.cwd(),
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
        encoding: 'utf8',
      });
      const { refused, listed, kept } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
      expect(refused).toEqual({
        ok: false,
        error: { code: 'keychain_unavailable', message: expect.stringMatching(/No system keychain is available.*gnome-keyring/) },
      });
      expect(listed).toEqual({ ok: true, value: [] });
      expect(kept).toMatchObject({ ok: true, value: { name: 'No keychain', hasSecret: true, secretInMemory: true } });
      const files = readdirSync(dir.path)
        .map((name) => readFileSync(join(dir.path, name)).toString('latin1'))
        .join('');
      expect(files.includes('probe-secret-123')).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
