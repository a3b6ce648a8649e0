// The bare client a spawned `bulk-cancel run` is paired with: node FILE BASE_URL KEY CONCURRENCY sends a Sorted PRO cancel
// for every reference of FILE (one per line after the header) with undici's request, CONCURRENCY at a time, and stores
// nothing. Exits 1 unless every answer was 200.
import { readFileSync } from 'node:fs';
import { request } from 'undici';

const [file, base, key, concurrency] = process.argv.slice(2);
const references = readFileSync(file, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
const headers = { 'x-api-key': key, 'x-api-version': '1.1', accept: 'application/json' };
let next = 0;
let ok = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < references.length) {
      const answer = await request(`${base}/shipments/${references[next++]}/cancel`, { method: 'PUT', headers });
      await answer.body.text();
      if (answer.statusCode === 200) ok++;
    }
  }),
);
process.exitCode = ok === references.length ? 0 : 1;
