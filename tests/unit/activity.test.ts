import { describe, expect, it } from 'vitest';
import type { Account } from '../../electron/core/accounts';
import { registeringSecrets, runLogging } from '../../electron/core/activity';
import type { CredentialStore } from '../../electron/core/credentials/store';
import { silentLog, type Fields, type Log } from '../../electron/core/log';
import type { Answer } from '../../electron/core/providers/outcome';

/** A log that keeps its records and registered secrets, to see what would be written. */
function recordingLog(): Log & { records: [string, string, Fields | undefined][]; secrets: string[] } {
  const records: [string, string, Fields | undefined][] = [];
  const secrets: string[] = [];
  return {
    ...silentLog(),
    records,
    secrets,
    error: (event, fields) => records.push(['error', event, fields]),
    warn: (event, fields) => records.push(['warn', event, fields]),
    info: (event, fields) => records.push(['info', event, fields]),
    addSecret: (secret) => secrets.push(secret),
  };
}

const account: Account = { id: 'a1', name: 'Warehouse', provider: 'electio', baseUrl: 'https://api.example', settings: {} };

describe('what the log is told about the work', () => {
  it('registers every key read or saved, and a Sendcloud key as a whole and as its two halves', async () => {
    const log = recordingLog();
    const kept = new Map<string, string>([['a1', 'public-part:secret-part']]);
    const store: CredentialStore = {
      get: async (id) => kept.get(id) ?? null,
      set: async (id, secret) => void kept.set(id, secret),
      delete: async (id) => kept.delete(id),
    };
    const watched = registeringSecrets(store, log);
    expect(await watched.get('a1')).toBe('public-part:secret-part');
    await watched.set('a2', 'electio-key-123');
    expect(await watched.get('missing')).toBeNull();
    expect(log.secrets).toEqual(['public-part:secret-part', 'public-part', 'secret-part', 'electio-key-123']);
    expect(kept.get('a2')).toBe('electio-key-123');
  });

  it('logs one line per request, an Electio list of many items included, with the trouble as a warning', () => {
    const log = recordingLog();
    const { onAnswers } = runLogging(log, 'b1');
    const request = { endpoint: 'PUT /consignments/cancellist', startedAt: 1000, durationMs: 42, httpStatus: 200, message: '' };
    const answers = new Map<number, Answer>([
      [
        1,
        {
          outcome: { kind: 'final', state: 'succeeded', reason: 'cancelled', apiLinks: null, message: 'ok', httpStatus: 200 },
          requests: [{ ...request, message: 'ok' }],
        },
      ],
      [
        2,
        {
          outcome: {
            kind: 'final',
            state: 'failed',
            reason: 'not_found',
            apiLinks: null,
            message: 'No such consignment',
            httpStatus: 200,
          },
          requests: [{ ...request, message: 'No such consignment' }],
        },
      ],
    ]);
    onAnswers?.(account, answers);
    expect(log.records).toEqual([
      [
        'warn',
        'attempt',
        {
          batch: 'b1',
          provider: 'electio',
          account: 'Warehouse',
          endpoint: 'PUT /consignments/cancellist',
          status: 200,
          ms: 42,
          items: 2,
          outcome: 'succeeded:cancelled×1 failed:not_found×1',
          message: 'No such consignment',
        },
      ],
    ]);
  });

  it('logs an account going offline once, and coming back', () => {
    const log = recordingLog();
    const { onStatus } = runLogging(log, 'b1');
    const down = {
      accountId: 'a1',
      accountName: 'Warehouse',
      since: 5,
      message: 'The provider cannot be reached (ECONNREFUSED).',
    };
    onStatus?.({ offline: [down] });
    onStatus?.({ offline: [down] });
    onStatus?.({ offline: [] });
    expect(log.records).toEqual([
      ['warn', 'offline', { batch: 'b1', account: 'Warehouse', message: down.message }],
      ['info', 'online', { batch: 'b1', account: 'Warehouse' }],
    ]);
  });
});
