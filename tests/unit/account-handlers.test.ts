/**
 * The accounts area's "check key" (electron/core/handlers/accounts.ts over key-check.ts), through the
 * contract and over real HTTP to the carrier simulator: accepted, refused, or unknown when the
 * carrier cannot be reached; the transport is the one the service was given.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/dispatch';
import type { AppService } from '../../electron/core/service';
import { ELECTIO_DEFAULT_API_KEY, startSimulator, type Simulator } from '../simulator';
import { testService, testWorld, type TestWorld } from '../support/fixtures';
import { TRANSPORTS } from '../support/transports';

let sim: Simulator;
let world: TestWorld;
let service: AppService;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  world = testWorld();
  service = testService(world, 'check', TRANSPORTS.undici);
});
afterEach(async () => {
  await service.close();
  await world.close();
});

async function addElectio(name: string, secret: string, baseUrl = sim.url): Promise<string> {
  const reply = await dispatch(service.handlers, 'accounts.add', { provider: 'electio', name, baseUrl, secret });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.value as { id: string }).id;
}

const check = (accountId: string) => dispatch(service.handlers, 'accounts.checkKey', { accountId });

describe('accounts.checkKey', () => {
  it('a good key is accepted, a wrong one refused with a message; only reads reach the carrier', async () => {
    const good = await addElectio('Good', ELECTIO_DEFAULT_API_KEY);
    const wrong = await addElectio('Wrong', 'not-the-key');
    sim.clearLog();
    expect(await check(good)).toEqual({ ok: true, value: { kind: 'accepted' } });
    const refused = await check(wrong);
    expect(refused).toMatchObject({ ok: true, value: { kind: 'refused', message: expect.any(String) } });
    expect(JSON.stringify(refused)).not.toContain('not-the-key');
    expect(sim.requests.map((request) => request.method)).toEqual(['GET', 'GET']);
  });

  it('a carrier that cannot be reached gives neither verdict', async () => {
    const offline = await addElectio('Offline', ELECTIO_DEFAULT_API_KEY, 'http://127.0.0.1:9');
    expect(await check(offline)).toMatchObject({ ok: true, value: { kind: 'unknown', message: expect.any(String) } });
  });

  it('an account that does not exist is not found', async () => {
    expect(await check('gone')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
