import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/dispatch';
import { AppError } from '../../electron/core/errors';
import type { Handlers } from '../../electron/core/service';

/** Handlers that record what reached them; dispatch must stop anything invalid before that. */
function recordingHandlers() {
  const reached: unknown[] = [];
  const handler = async (request: unknown) => {
    reached.push(request);
    return [];
  };
  const handlers = new Proxy({} as Handlers, { get: () => handler });
  return { handlers, reached };
}

describe('dispatch: the one door into the service', () => {
  it('answers a valid request in the ok envelope', async () => {
    const { handlers, reached } = recordingHandlers();
    expect(await dispatch(handlers, 'accounts.list', {})).toEqual({ ok: true, value: [] });
    expect(reached).toEqual([{}]);
  });

  it.each([
    ['an unknown channel', 'accounts.steal', {}],
    ['a prototype key as channel', '__proto__', {}],
    ['a channel that is not a string', 42, {}],
    ['a payload of the wrong type', 'batch.summary', 'batch-1'],
    ['a missing field', 'batch.summary', {}],
    ['an extra field', 'accounts.list', { admin: true }],
    ['a field of the wrong type', 'batch.summary', { batchId: 7 }],
    ['an oversized id', 'batch.summary', { batchId: 'x'.repeat(101) }],
    ['an unknown provider', 'accounts.add', { provider: 'dhl', name: 'x', secret: 'y' }],
    ['an empty secret', 'accounts.add', { provider: 'electio', name: 'x', secret: '' }],
    [
      'an oversized import',
      'import.preview',
      { source: { kind: 'text', fileName: null, text: 'x'.repeat(64 * 1024 * 1024 + 1) } },
    ],
  ])('refuses %s without reaching the service', async (_label, channel, payload) => {
    const { handlers, reached } = recordingHandlers();
    const answer = await dispatch(handlers, channel, payload);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('invalid_request');
    expect(reached).toEqual([]);
  });

  it('turns an AppError into its code and sentence, and hides anything unexpected', async () => {
    const failing = (error: unknown) => new Proxy({} as Handlers, { get: () => async () => Promise.reject(error) });
    expect(
      await dispatch(failing(new AppError('not_found', 'That batch does not exist.')), 'batch.summary', { batchId: 'b' }),
    ).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'That batch does not exist.' },
    });
    const hidden = await dispatch(failing(new Error('secret-key-123 at /home/clerk/x.ts:1')), 'batch.summary', { batchId: 'b' });
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(hidden)).not.toContain('secret-key-123');
  });
});
