import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOG_FILE,
  OLD_LOG_FILE,
  REDACTED,
  Secrets,
  encodedForms,
  formatRecord,
  openLog,
  redact,
  redactText,
} from '../../electron/core/log';
import { tempDir } from '../support/fixtures';

/** The forms a leak is searched for everywhere: raw, base64, URL-encoded. */
const leakForms = (secret: string) => [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];

const secretArb = fc
  .string({ minLength: 6, maxLength: 40, unit: fc.constantFrom(...'abcdefXYZ0123456789-_:+/=.%~! é"\\') })
  .filter((s) => !REDACTED.includes(s));

/** A secret embedded in some carrier: text around it, an encoding, an object, an error. */
const embeddedArb = (secret: string) =>
  fc
    .tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.integer({ min: 0, max: 6 }))
    .map(([before, after, how]) => {
      const form = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)][how % 3]!;
      const text = `${before}${form}${after}`;
      switch (how) {
        case 3:
          return { message: text, nested: [{ deeper: text }], [form]: 1 };
        case 4:
          return new Error(text, { cause: new Error(form) });
        case 5:
          return [text, { headers: { 'x-note': text } }];
        default:
          return text;
      }
    });

describe('redaction', () => {
  it('never lets a registered secret survive, raw, base64 or URL-encoded, in any string, object or error', () => {
    fc.assert(
      fc.property(
        fc
          .array(secretArb, { minLength: 1, maxLength: 3 })
          .chain((secrets) =>
            fc.tuple(
              fc.constant(secrets),
              fc.array(fc.constantFrom(...secrets).chain(embeddedArb), { minLength: 1, maxLength: 4 }),
            ),
          ),
        ([registered, values]) => {
          const secrets = new Secrets();
          registered.forEach((secret) => secrets.add(secret));
          const out = JSON.stringify(values.map((value) => redact(value, secrets))) + formatRecord('event', { values }, secrets);
          for (const secret of registered) for (const form of leakForms(secret)) expect(out).not.toContain(form);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keeps the text around a secret', () => {
    const secrets = new Secrets();
    secrets.add('s3cr3t-key-123');
    expect(redactText('Electio refused key s3cr3t-key-123 for "Warehouse"', secrets)).toBe(
      `Electio refused key ${REDACTED} for "Warehouse"`,
    );
    expect(redactText(`url ?k=${encodeURIComponent('s3cr3t-key-123')}&x=1`, secrets)).toBe(`url ?k=${REDACTED}&x=1`);
  });

  it('scrubs credential headers, tokens, client secrets and URL passwords without any registration', () => {
    const cases: [string, string][] = [
      ['authorization: Basic c2ltLXNjLXB1YmxpYzpzaW0=', `authorization: ${REDACTED}`],
      ['Authorization: Bearer abc.DEF-123_xyz', `Authorization: ${REDACTED}`],
      ['{"X-API-KEY":"k-123456","ok":true}', `{"X-API-KEY":"${REDACTED}","ok":true}`],
      ['Ocp-Apim-Subscription-Key: 0123abcd', `Ocp-Apim-Subscription-Key: ${REDACTED}`],
      ['api-key=abcdef123&page=2', `api-key=${REDACTED}&page=2`],
      ['Cookie: session=1; theme=dark', `Cookie: ${REDACTED}`],
      [
        'grant_type=client_credentials&client_secret=hush-hush-1&scope=api',
        `grant_type=client_credentials&client_secret=${REDACTED}&scope=api`,
      ],
      ['{"access_token": "tok-987654", "expires_in": 3600}', `{"access_token": "${REDACTED}", "expires_in": 3600}`],
      ['sent with Bearer 9f8e7d6c5b4a', `sent with Bearer ${REDACTED}`],
      ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-part', `token ${REDACTED}`],
      ['https://user:pa55@api.example.com/v1', `https://${REDACTED}@api.example.com/v1`],
    ];
    for (const [input, output] of cases) expect(redactText(input)).toBe(output);
  });

  it('leaves the facts support needs alone', () => {
    const line = 'attempt provider=sendcloud account="Shop" endpoint="POST /oauth2/token/" status=401 ms=12 auth=oauth2';
    expect(redactText(line)).toBe(line);
    expect(redactText('Sendcloud, HTTP Basic: public and secret key saved')).toBe(
      'Sendcloud, HTTP Basic: public and secret key saved',
    );
    const named = 'account added name=Basic provider=sendcloud auth=basic';
    expect(redactText(named)).toBe(named);
  });

  it('drops the value of any member named like a credential, and survives cycles', () => {
    const value: Record<string, unknown> = {
      headers: new Headers({ Authorization: 'Basic Zm9vOmJhcg==', Accept: 'application/json' }),
      apiKey: 'k',
      'ocp-apim-subscription-key': 'electio',
      client_secret: 'x',
      nested: { password: 'p', kept: 'visible' },
    };
    value.self = value;
    expect(redact(value)).toEqual({
      headers: { authorization: REDACTED, accept: 'application/json' },
      apiKey: REDACTED,
      'ocp-apim-subscription-key': REDACTED,
      client_secret: REDACTED,
      nested: { password: REDACTED, kept: 'visible' },
      self: '[…]',
    });
  });

  it('registers the JSON-escaped and base64url forms too, and ignores values too short to be keys', () => {
    expect(encodedForms('a"b\\c/d+')).toContain('a\\"b\\\\c/d+');
    const secrets = new Secrets();
    secrets.add('abc');
    expect(secrets.scrub('abc abc')).toBe('abc abc');
  });
});

describe('the log file', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('writes timestamped, levelled, redacted lines, and tails them', async () => {
    const log = openLog(dir.path);
    log.addSecret('registered-secret-42');
    log.info('app started', { version: '1.2.3', platform: 'linux' });
    log.warn('attempt', { provider: 'electio', message: 'refused registered-secret-42', headers: { 'x-api-key': 'raw' } });
    log.error('request failed', { error: new Error('Authorization: Basic dXNlcjpwYXNzd29yZA==') });
    await log.flush();
    const text = readFileSync(join(dir.path, LOG_FILE), 'utf8');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}app started version=1\.2\.3 platform=linux$/m);
    expect(text).toContain(`WARN  attempt provider=electio message="refused ${REDACTED}" headers={"x-api-key":"${REDACTED}"}`);
    expect(text).toContain(`ERROR request failed error="Authorization: ${REDACTED}"`);
    expect(text).not.toMatch(/registered-secret-42|dXNlcjpwYXNzd29yZA|raw"/);
    const tail = await log.tail(2);
    expect(tail).toHaveLength(2);
    expect(tail[1]).toContain('request failed');
  });

  it('moves a full file aside (keeping one previous file) and tails across both, redacting again', async () => {
    const small = tempDir();
    try {
      const log = openLog(small.path, 2_000);
      for (let i = 0; i < 60; i++) {
        log.info('line', { i });
        if (i % 10 === 9) await log.flush(); // the size is known once a write is done
      }
      await log.flush();
      expect(readFileSync(join(small.path, OLD_LOG_FILE), 'utf8')).toContain('line i=');
      const current = readFileSync(join(small.path, LOG_FILE), 'utf8');
      expect(current.length).toBeLessThan(4_000);
      expect(current).toContain('line i=59');
      const lines = await log.tail(40);
      expect(lines).toHaveLength(40);
      expect(lines.at(-1)).toContain('line i=59');
      // A secret registered later is scrubbed from lines written before it was known.
      writeFileSync(join(small.path, LOG_FILE), 'an old line with late-secret-77\n', { flag: 'a' });
      log.addSecret('late-secret-77');
      expect((await log.tail(1))[0]).toBe(`an old line with ${REDACTED}`);
    } finally {
      small.remove();
    }
  });

  it('drops what it cannot write without a word, and writes again once it can', async () => {
    const place = tempDir();
    try {
      const blocked = join(place.path, 'logs');
      writeFileSync(blocked, 'a file where the log folder should be');
      const log = openLog(blocked);
      log.error('lost', { why: 'the folder is a file' });
      await expect(log.flush()).resolves.toBeUndefined();
      rmSync(blocked);
      log.info('kept');
      await log.flush();
      expect(readFileSync(join(blocked, LOG_FILE), 'utf8')).toMatch(/INFO {2}kept\n$/);
    } finally {
      place.remove();
    }
  });

  it('two writers on one file (the app and the CLI): neither moves aside the file the other has just started', async () => {
    const shared = tempDir();
    try {
      const app = openLog(shared.path, 1_000);
      const cli = openLog(shared.path, 1_000);
      cli.info('cli first', { text: 'c'.repeat(800) });
      await cli.flush();
      app.info('app', { text: 'a'.repeat(200) }); // the file passes 1,000 bytes: the app moves it aside
      await app.flush();
      cli.info('cli second', { text: 'c'.repeat(300) }); // the CLI still holds the moved file, and its own count is over
      await cli.flush();
      const old = readFileSync(join(shared.path, OLD_LOG_FILE), 'utf8');
      const current = readFileSync(join(shared.path, LOG_FILE), 'utf8');
      expect(old).toContain('cli first');
      expect(current).toContain('app text=');
      expect(current).toContain('cli second');
    } finally {
      shared.remove();
    }
  });

  it('flush waits for the lines logged before it, not for those that keep coming', async () => {
    const busy = tempDir();
    try {
      const log = openLog(busy.path);
      log.info('before');
      let more = true;
      const keepLogging = async () => {
        while (more) {
          log.info('later');
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const logging = keepLogging();
      await log.flush();
      more = false;
      await logging;
      expect(readFileSync(join(busy.path, LOG_FILE), 'utf8')).toMatch(/INFO {2}before\n/);
    } finally {
      busy.remove();
    }
  });

  it('follows the file when another process (the app, the CLI) moved it aside', async () => {
    const shared = tempDir();
    try {
      const log = openLog(shared.path);
      log.info('first');
      await log.flush();
      renameSync(join(shared.path, LOG_FILE), join(shared.path, OLD_LOG_FILE));
      // The file's place is checked at most once a second (a stat per write slowed sending runs).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      log.info('second');
      await log.flush();
      expect(readFileSync(join(shared.path, OLD_LOG_FILE), 'utf8')).not.toContain('second');
      expect(readFileSync(join(shared.path, LOG_FILE), 'utf8')).toMatch(/INFO {2}second\n$/);
    } finally {
      shared.remove();
    }
  });
});
