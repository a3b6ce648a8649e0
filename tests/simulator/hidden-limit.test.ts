// Proves the simulator's hidden limit is a token bucket over write requests that answers 429 with Retry-After and changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HiddenLimit } from './hidden-limit';
import { SORTED_DEFAULT_API_KEY, sortedReference, startSimulator, type Simulator } from './index';

const headers = { 'x-api-key': SORTED_DEFAULT_API_KEY, 'x-api-version': '1.1', accept: 'application/json' };

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

describe('the hidden limit', () => {
  it('lets a burst through, then answers writes 429 with Retry-After, leaving the shipments as they were', async () => {
    const refs = sim.sortedPro.seed(5);
    sim.hiddenLimit.set({ perSecond: 0.5, burst: 3 });
    const answers = await Promise.all(refs.map((ref) => fetch(`${sim.url}/shipments/${ref}/cancel`, { method: 'PUT', headers })));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = answers.filter((answer) => answer.status === 429);
    // The next token is 2 s away at half a token a second.
    expect(refused.map((answer) => answer.headers.get('retry-after'))).toEqual(['2', '2']);
    expect(refs.filter((ref) => sim.sortedPro.state(ref) === 'cancelled')).toHaveLength(3);
    expect(sim.hiddenLimit.refused).toBe(2);
    expect(sim.requests.filter((request) => request.status === 429)).toHaveLength(2);
  });

  it('does not count reads, and is gone once taken away', async () => {
    const [ref = ''] = sim.sortedPro.seed(1);
    sim.hiddenLimit.set({ perSecond: 0.5, burst: 1 });
    for (let i = 0; i < 3; i++) expect((await fetch(`${sim.url}/shipments/${ref}`, { headers })).status).toBe(200);
    expect((await fetch(`${sim.url}/shipments/${ref}/cancel`, { method: 'PUT', headers })).status).toBe(200);
    expect((await fetch(`${sim.url}/shipments/${sortedReference(9)}/cancel`, { method: 'PUT', headers })).status).toBe(429);
    sim.hiddenLimit.set(undefined);
    expect((await fetch(`${sim.url}/shipments/${sortedReference(9)}/cancel`, { method: 'PUT', headers })).status).toBe(404);
  });

  it('refills at its rate', () => {
    const limit = new HiddenLimit();
    limit.set({ perSecond: 10, burst: 2 }, 0);
    expect([limit.admit('PUT', 0), limit.admit('PUT', 0), limit.admit('PUT', 0)]).toEqual([undefined, undefined, 1]);
    expect(limit.admit('PUT', 100)).toBeUndefined();
    expect(limit.admit('PUT', 100)).toBe(1);
    expect(() => limit.set({ perSecond: 0, burst: 1 })).toThrow(RangeError);
  });
});
