/**
 * Secrets never leave main: after a full run with every provider's kind of credential, no secret
 * (nor its Basic-auth form, nor an OAuth2 token) is in the data directory, an IPC reply or event,
 * an export, or anything printed. And with no Secret Service reachable, adding an account says
 * clearly what to install, stores nothing, and can keep the key in memory only when asked.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSessionFallback } from '../../electron/core/credentials/session';
import { dispatch } from '../../electron/core/dispatch';
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

const SECRETS = {
  electio: ELECTIO_DEFAULT_API_KEY,
  sorted: SORTED_DEFAULT_API_KEY,
  basicPublic: 'sim-sc-public',
  basicSecret: 'sim-sc-secret',
  clientId: 'sim-sc-client',
  clientSecret: 'sim-sc-client-secret',
};

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

  it('are absent from the SQLite files, IPC replies, events, exports and output after a full run', async () => {
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
    const service = createService({
      db: world.db,
      credentials: withSessionFallback(world.credentials),
      fetch,
      owner: 'secrets-test',
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
      const basic = ((await call('accounts.list', {})) as { id: string; name: string }[]).find((a) => a.name === 'Basic');
      sim.electio.add([electioReference(1)]);
      sim.sortedPro.add([sortedReference(1)]);
      sim.sendcloud.addShipment(1, { uuid: sendcloudShipmentUuid(1) });
      sim.sendcloud.addShipment(2, { uuid: sendcloudShipmentUuid(2) });
      const text = [
        'Reference,Account',
        `${electioReference(1)},`,
        `${sortedReference(1)},`,
        `${sendcloudShipmentUuid(1)},Basic`,
        `${sendcloudShipmentUuid(2)},OAuth`,
      ].join('\n');
      const source = { kind: 'text', fileName: 'mixed.csv', text };
      await call('import.preview', { source });
      const { batchId }: { batchId: string } = await call('import.confirm', {
        source,
        accounts: { sendcloud: basic?.id ?? oauth.id },
      });
      await call('batch.start', { batchId });
      for (let i = 0; i < 200; i++) {
        const summary: { running: boolean; counts: { succeeded: number } } = await call('batch.summary', { batchId });
        if (!summary.running) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const { rows: results }: { rows: { State: string }[] } = await call('results.page', { batchId, offset: 0, limit: 100 });
      expect(results.map((r) => r.State)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
      await call('accounts.update', { id: oauth.id, name: 'OAuth renamed' });
      await service.close();

      const tokens = sim.requests.flatMap((r) =>
        r.headers.authorization?.startsWith('Bearer ') ? [r.headers.authorization.slice(7)] : [],
      );
      expect(tokens.length).toBeGreaterThan(0);
      const needles = [
        ...Object.values(SECRETS).flatMap(forms),
        ...forms(`${SECRETS.basicPublic}:${SECRETS.basicSecret}`),
        ...tokens,
      ];

      const exported = resultsToCsv(listResults(world.db, batchId)) + JSON.stringify(toRecords(listResults(world.db, batchId)));
      world.db.pragma('wal_checkpoint(TRUNCATE)');
      const files = readdirSync(world.dataDir).map((name) => readFileSync(join(world.dataDir, name)).toString('latin1'));
      const haystacks = { sqlite: files.join('\n'), ipc: JSON.stringify(wire), exports: exported, printed: printed.join('') };
      for (const needle of needles) {
        for (const [where, text] of Object.entries(haystacks))
          expect(text.includes(needle), `${needle} found in ${where}`).toBe(false);
      }
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
      const db = openDatabase(process.argv.at(-1));
      const service = createService({ db, credentials: withSessionFallback(keychainStore()), fetch, owner: 'probe' });
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
