/**
 * The shape of a conformance case (a documented answer, what else the carrier says after it, and the
 * verdict the client must reach) and the one way every case is run: the real client from `createClient`
 * over the real HTTP layer and a real transport, against the replay server.
 */
import { expect } from 'vitest';
import type { Account } from '../../electron/core/accounts';
import { createClient } from '../../electron/core/providers/client';
import type { SendItem } from '../../electron/core/providers/types';
import { sendItem } from '../support/fixtures';
import { createHttp } from '../../electron/core/providers/http';
import type { Answer, Outcome } from '../../electron/core/providers/outcome';
import type { Reason } from '../../shared/domain';
import { TRANSPORTS, type TransportName } from '../support/transports';
import type { ReplayServer, Reply } from '../support/replay-server';

/** The verdict for one item: final (with its state), retry (the item stays queued), or hold the account. */
export interface Expected {
  kind: 'final' | 'retry' | 'account';
  state?: 'succeeded' | 'failed' | 'pending';
  reason?: Reason;
  /** Words the clerk must see (the carrier's own message, or the client's explanation). */
  message?: RegExp;
  /** The step recorded as done (Sorted's cancel before its delete). */
  step?: 'cancelled';
}

export interface Case {
  name: string;
  /** Where the answer is documented (repository and path, or the seed page), or why it is not. */
  documented: string;
  /** The answer under test, as the carrier documents it. */
  answer: Reply;
  /** What the carrier answers next (the read-back after a 409, a 400 or a 304). */
  then?: Reply[];
  /** How the item differs from a plain first attempt (action, step, maybeSent, external ids). */
  item?: Partial<SendItem>;
  expected: Expected;
  /** `METHOD /path` of every request the client must send, in order. */
  sent: string[];
}

export type AccountSpec = Omit<Account, 'id' | 'baseUrl'>;

/** Sends these items through the account's real client, over the named transport, to the replay server. */
export async function cancelThrough(
  server: ReplayServer,
  account: AccountSpec,
  secret: string,
  transport: TransportName,
  items: readonly SendItem[],
  chunkSize = 1,
): Promise<Map<number, Answer>> {
  const client = createClient({ id: 'conformance', baseUrl: server.url, ...account }, secret, {
    http: createHttp(TRANSPORTS[transport], 5_000),
    chunkSize,
    now: Date.now,
  });
  return client.cancel(items);
}

/** The answer for one item, which the client must always give. */
export function answerFor(answers: ReadonlyMap<number, Answer>, item: SendItem): Answer {
  const answer = answers.get(item.id);
  expect(answer, `no answer for item ${item.reference}`).toBeDefined();
  return answer as Answer;
}

/** Asserts the verdict: kind, then state, reason, step and message where the case names them. */
export function expectVerdict(outcome: Outcome, expected: Expected): void {
  const shape: Record<string, unknown> = { kind: expected.kind };
  if (expected.state !== undefined) shape.state = expected.state;
  if (expected.reason !== undefined) shape.reason = expected.reason;
  if (expected.step !== undefined) shape.step = expected.step;
  expect(outcome).toMatchObject(shape);
  if (expected.message) expect(outcome.message).toMatch(expected.message);
  // Whatever the verdict, the clerk reads a sentence, never an empty message.
  expect(outcome.message).toMatch(/\S/);
}

/** Runs one single-item case and checks both the verdict and what was sent. */
export async function runCase(
  server: ReplayServer,
  account: AccountSpec,
  secret: string,
  transport: TransportName,
  reference: string,
  testCase: Case,
): Promise<{ answer: Answer; item: SendItem }> {
  server.play([testCase.answer, ...(testCase.then ?? [])]);
  const item = sendItem(reference, testCase.item);
  const answer = answerFor(await cancelThrough(server, account, secret, transport, [item]), item);
  expectVerdict(answer.outcome, testCase.expected);
  expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual(testCase.sent);
  return { answer, item };
}
