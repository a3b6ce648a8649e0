import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppErrorShape, CHANNEL_NAMES, ItemState, ProviderId, Reason, channels, type Channel } from '../../shared/contract';
import { MAX_IMPORT_BYTES } from '../../shared/domain';
import { REQUEST_LIMITS, dispatch } from '../../electron/core/dispatch';
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

/** A refusal as the renderer must always get it: `ok: false`, a known code and a sentence, nothing else. */
const Refusal = z
  .object({ ok: z.literal(false), error: AppErrorShape.extend({ message: z.string().min(10) }).strict() })
  .strict();

/** Everything Electron's structured clone can carry, and more (fast-check's widest `anything`). */
const anyValue = fc.anything({
  maxDepth: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Payloads shaped like a channel's request (its own field names, and a few hostile ones) with any values. */
function nearlyValid(channel: Channel) {
  const request: z.ZodType = channels[channel].request;
  // A request is an object, or a union of objects (a preview of a new list, or of a kept draft).
  const shapes = request instanceof z.ZodUnion ? (request.options as z.ZodObject[]) : [request as z.ZodObject];
  const fields = [...new Set(shapes.flatMap((shape) => Object.keys(shape.shape)))];
  return fc.dictionary(fc.constantFrom(...fields, '__proto__', 'constructor', 'toString'), anyValue, {
    maxKeys: fields.length + 1,
  });
}

const NOT_AN_OBJECT = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.bigInt(),
  fc.date(),
  fc.array(anyValue, { maxLength: 5 }),
  fc.uint8Array(),
);

describe('dispatch refuses any payload it cannot use, without throwing and without reaching the service', () => {
  it('arbitrary payloads: a handler sees only what its schema accepts, anything else gets a well-formed refusal', async () => {
    const payload = fc
      .constantFrom(...CHANNEL_NAMES)
      .chain((channel) => fc.tuple(fc.constant(channel), fc.oneof(anyValue, nearlyValid(channel))));
    await fc.assert(
      fc.asyncProperty(payload, async ([channel, value]) => {
        const { handlers, reached } = recordingHandlers();
        const answer = await dispatch(handlers, channel, value);
        if (reached.length > 0) {
          expect(channels[channel].request.safeParse(value ?? {}).success).toBe(true);
          expect(answer).toEqual({ ok: true, value: [] });
        } else {
          expect(Refusal.parse(answer).error.code).toBe('invalid_request');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('payloads of the wrong type are refused on every channel', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNEL_NAMES), NOT_AN_OBJECT, async (channel, value) => {
        const { handlers, reached } = recordingHandlers();
        expect(Refusal.parse(await dispatch(handlers, channel, value)).error.code).toBe('invalid_request');
        expect(reached).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('anything that is not a channel name is an unknown request', async () => {
    await fc.assert(
      fc.asyncProperty(anyValue, anyValue, async (channel, value) => {
        fc.pre(!CHANNEL_NAMES.includes(channel as Channel));
        const { handlers, reached } = recordingHandlers();
        expect(await dispatch(handlers, channel, value)).toEqual({
          ok: false,
          error: { code: 'invalid_request', message: 'Unknown request.' },
        });
        expect(reached).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('oversized payloads are refused before their schema even parses them', async () => {
    const small = CHANNEL_NAMES.filter((channel) => !channel.startsWith('import.'));
    const oversized = fc.oneof(
      fc.integer({ min: 1, max: 4096 }).map((extra) => 'x'.repeat(REQUEST_LIMITS.other + extra)),
      fc.integer({ min: 1, max: 4096 }).map((extra) => new Array<string>(REQUEST_LIMITS.other + extra)),
      fc.integer({ min: 1, max: 64 }).map((extra) => Array.from({ length: REQUEST_LIMITS.other / 2 + extra }, () => 1)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...small), fc.string({ maxLength: 20 }), oversized, async (channel, field, big) => {
        const parse = vi.spyOn(channels[channel].request, 'safeParse');
        try {
          const { handlers, reached } = recordingHandlers();
          const answer = Refusal.parse(await dispatch(handlers, channel, { [field]: big }));
          expect(answer.error).toEqual({
            code: 'invalid_request',
            message: 'The request was too large or too deeply nested to accept.',
          });
          expect(parse).not.toHaveBeenCalled();
          expect(reached).toEqual([]);
        } finally {
          parse.mockRestore();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('deep nesting and cycles are refused, not followed', async () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const cyclic: Record<string, unknown> = { batchId: 'b-1' };
    cyclic.self = cyclic;
    for (const payload of [{ batchId: deep }, cyclic, deep]) {
      const { handlers, reached } = recordingHandlers();
      expect(Refusal.parse(await dispatch(handlers, 'batch.summary', payload)).error.code).toBe('invalid_request');
      expect(reached).toEqual([]);
    }
  });

  it('an import over the import limit is refused with a sentence the clerk can act on', async () => {
    const { handlers, reached } = recordingHandlers();
    const answer = await dispatch(handlers, 'import.preview', {
      source: { kind: 'bytes', fileName: 'huge.csv', bytes: new Uint8Array(REQUEST_LIMITS.import + 1) },
    });
    expect(Refusal.parse(answer).error.message).toMatch(/too large to import.*Split it into smaller files/);
    expect(reached).toEqual([]);
  });
});

describe('the size limits fit the largest legitimate requests', () => {
  it('the largest file the contract allows, with its longest name and sheet, reaches the importer', async () => {
    const { handlers, reached } = recordingHandlers();
    const source = { kind: 'bytes', fileName: 'n'.repeat(1000), bytes: new Uint8Array(MAX_IMPORT_BYTES), sheet: 's'.repeat(200) };
    expect(await dispatch(handlers, 'import.preview', { source, action: 'cancel-and-delete' })).toEqual({
      ok: true,
      value: [],
    });
    expect(reached).toHaveLength(1);
  });

  it('the largest results filter the contract allows reaches the export', async () => {
    const { handlers, reached } = recordingHandlers();
    const filter = {
      states: ItemState.options,
      reasons: Reason.options,
      providers: ProviderId.options,
      accounts: Array.from({ length: 1000 }, (_, n) => String(n).padStart(100, 'a')),
      search: 's'.repeat(200),
    };
    expect(await dispatch(handlers, 'results.export', { batchId: 'b'.repeat(100), format: 'csv', filter })).toEqual({
      ok: true,
      value: [],
    });
    expect(reached).toHaveLength(1);
  });
});
