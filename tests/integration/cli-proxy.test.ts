/**
 * Clerks behind a company proxy: the CLI sends its requests through HTTP(S)_PROXY, and straight to
 * hosts listed in NO_PROXY. The proxy here is a real tunnelling (CONNECT) proxy on 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTIO_DEFAULT_API_KEY, electioReference, startSimulator, type Simulator } from '../simulator';
import { tempDir } from '../support/fixtures';

let sim: Simulator;
let proxy: Server;
let proxyUrl: string;
const proxied: string[] = [];

beforeAll(async () => {
  sim = await startSimulator();
  // A tunnelling proxy, as company proxies are: each connection is opened with CONNECT, logged and piped.
  proxy = createServer((_incoming, outgoing) => outgoing.writeHead(405).end());
  proxy.on('connect', (incoming: IncomingMessage, socket: Socket, head: Buffer) => {
    proxied.push(`CONNECT ${incoming.url}`);
    const [host, port] = (incoming.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  await sim.close();
});

/** Runs the built CLI without blocking this process, which serves the simulator and the proxy. */
function cli(dataDir: string, args: string[], env: Record<string, string> = {}, input = '') {
  const clean = { ...process.env };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_OPTIONS'])
    delete clean[name];
  const child = spawn(process.execPath, ['bin/bulk-cancel.mjs', '--data-dir', dataDir, '--json', ...args], {
    env: { ...clean, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
}

describe('the CLI behind a proxy', () => {
  it('sends through HTTP_PROXY, and straight to NO_PROXY hosts', async () => {
    const dir = tempDir();
    try {
      expect(
        (
          await cli(
            dir.path,
            ['account', 'add', '--provider', 'electio', '--name', 'E', '--base-url', sim.url],
            {},
            `${ELECTIO_DEFAULT_API_KEY}\n`,
          )
        ).status,
      ).toBe(0);
      const refs = [electioReference(40_000), electioReference(40_001)];
      sim.electio.add(refs);
      const batch = async (ref: string) =>
        JSON.parse((await cli(dir.path, ['import', '-'], {}, `${ref}\n`)).stdout).batchId as string;

      const through = await cli(dir.path, ['run', '--batch', await batch(refs[0] ?? '')], { HTTP_PROXY: proxyUrl });
      expect(through.status, through.stderr).toBe(0);
      expect(proxied).toEqual([`CONNECT ${new URL(sim.url).host}`]);

      const direct = await cli(dir.path, ['run', '--batch', await batch(refs[1] ?? '')], {
        HTTP_PROXY: proxyUrl,
        NO_PROXY: '127.0.0.1',
      });
      expect(direct.status, direct.stderr).toBe(0);
      expect(proxied).toHaveLength(1);
      expect(refs.map((ref) => sim.electio.state(ref))).toEqual(['cancelled', 'cancelled']);
    } finally {
      dir.remove();
    }
  });
});

describe('the CLI offline', () => {
  it('says it is offline, keeps waiting, and with --max-wait gives up cleanly (exit 1, items stay queued)', async () => {
    const dir = tempDir();
    try {
      await cli(
        dir.path,
        ['account', 'add', '--provider', 'electio', '--name', 'E', '--base-url', sim.url],
        {},
        `${ELECTIO_DEFAULT_API_KEY}\n`,
      );
      const ref = electioReference(41_000);
      sim.electio.add([ref]);
      const batchId = JSON.parse((await cli(dir.path, ['import', '-'], {}, `${ref}\n`)).stdout).batchId as string;
      await sim.goOffline();
      let gaveUp;
      try {
        gaveUp = await cli(dir.path, ['run', '--batch', batchId, '--max-wait', '1']);
      } finally {
        await sim.goOnline();
      }
      expect(gaveUp.status).toBe(1);
      expect(gaveUp.stderr).toMatch(/Offline: account "E" cannot reach its provider/);
      expect(gaveUp.stderr).toMatch(/Gave up after waiting 1 s offline; 1 item\(s\) stay queued/);
      expect(JSON.parse(gaveUp.stdout)).toEqual({ batchId, succeeded: 0, failed: 0, total: 1 });

      const later = await cli(dir.path, ['run', '--batch', batchId]);
      expect(later.status, later.stderr).toBe(0);
      expect(sim.electio.state(ref)).toBe('cancelled');
    } finally {
      dir.remove();
    }
  });
});
