// Fault injection for the carrier simulator: per-endpoint rates of 5xx answers, 429 with `Retry-After`,
// connection resets, hangs past the client's deadline, slowly dribbled bodies and malformed JSON, all decided
// deterministically from a seed. `startSimulator` consults `SimFaults.decide` before any provider handler runs.
//
// Determinism: a request's fault depends only on the seed, the request's method, raw path and body, and how
// many identical requests came before it since `set()` — never on timing or on how concurrent requests
// interleave. So the n-th send of a given cancel meets the same fault on every run with the same seed.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SimResponse } from './server';
import { sendcloudMessages } from './sendcloud';
import { sortedMessages } from './sorted-pro';

export type FaultKind = 'serverError' | 'rateLimited' | 'reset' | 'hang' | 'slowBody' | 'malformed';

/** In the order their rates are stacked when a request's draw picks one (see `FaultRule`). */
export const FAULT_KINDS: readonly FaultKind[] = ['serverError', 'rateLimited', 'reset', 'hang', 'slowBody', 'malformed'];

/** The faults whose request may be applied by the provider before the answer is lost or garbled. */
export type ApplicableFault = 'reset' | 'hang' | 'malformed';

/** Methods that change nothing; every other method counts as state-changing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which requests a rule covers (every condition given must hold; none given covers every request) and how often
 * each fault strikes them. Rates are probabilities in [0, 1] whose sum must not exceed 1; one uniform draw per
 * request picks at most one fault. The first rule (in `FaultRules.rules` order) that covers a request decides
 * for it, even when its draw picks no fault.
 */
export interface FaultRule {
  /** e.g. `'PUT'` or `['PUT', 'DELETE']`, case-insensitive. */
  method?: string | readonly string[];
  /** A prefix of the raw path (still percent-encoded, query included), or a RegExp tested against it. */
  path?: string | RegExp;
  /** Only requests whose method is not GET, HEAD or OPTIONS (the OAuth2 token POST counts as one). */
  stateChanging?: boolean;

  /** Answer 500, 502 or 503 (see `serverErrorStatuses`) with a JSON error body; the provider changes nothing. */
  serverError?: number;
  /** Answer 429 with `Retry-After` (see `retryAfterSeconds`); the provider changes nothing. */
  rateLimited?: number;
  /** Kill the connection without an answer; the client sees ECONNRESET (or "other side closed", see `resetStyle`). */
  reset?: number;
  /** Never answer: the request is held until the client gives up (or `hangMaxMs`, then the socket is destroyed). */
  hang?: number;
  /**
   * The provider's real answer (so the change is made), but headers first and the body dribbled over `slowBodyMs`.
   * A client whose deadline covers reading the body meets the "answer lost" case here.
   */
  slowBody?: number;
  /** 200, `content-type: application/json`, and a truncated, invalid JSON body; the provider changes nothing. */
  malformed?: number;

  /** Statuses a `serverError` picks from, uniformly and deterministically (default `[500, 502, 503]`). */
  serverErrorStatuses?: readonly number[];
  /** The `Retry-After` of a `rateLimited` answer, in whole seconds (default 1). */
  retryAfterSeconds?: number;
  /** `seconds` (default) or an HTTP date at least `retryAfterSeconds` from now. */
  retryAfterFormat?: 'seconds' | 'http-date';
  /** `rst` (default) sends a TCP RST (`socket.resetAndDestroy()`); `close` ends it quietly (`socket.destroy()`). */
  resetStyle?: 'rst' | 'close';
  /** How long a `slowBody` answer takes from headers to its last byte (default 2,000 ms). */
  slowBodyMs?: number;
  /** Upper bound of a `hang`, after which its socket is destroyed, still unanswered (default 120,000 ms). */
  hangMaxMs?: number;
  /**
   * Let the provider handle the request (changing its state) before the answer is lost: the realistic case where
   * a cancel happened but its answer never arrived, which tests idempotent re-sends. `true` means
   * `['reset', 'hang']`; a list may also name `'malformed'` (then the real answer is sent, its body garbled).
   * Default false: faulted requests change nothing. `slowBody` always applies; 5xx and 429 never do.
   */
  applyBeforeFailure?: boolean | readonly ApplicableFault[];
  /** Stop faulting after this many faults from this rule (it still covers its requests, which then pass). */
  maxFaults?: number;
}

export interface FaultRules {
  /** Same seed, same requests → same faults. */
  seed: number;
  rules: readonly FaultRule[];
}

/** What `decide` picked for one request. */
export interface FaultDecision {
  kind: FaultKind;
  /** Whether the provider handler runs (and changes state) before the fault. */
  apply: boolean;
  /** For `serverError`: the status to answer. */
  status: number;
  rule: Readonly<FaultRule>;
}

/** What tests see as `sim.faults`. */
export interface FaultControl {
  /** Replaces the rules, resets the occurrence counters behind the draws and the counts. */
  set(rules: FaultRules): void;
  /** No more faults (counts are kept until the next `set`). Requests already hanging or dribbling carry on. */
  clear(): void;
  /** Faults injected since the last `set`, by kind (every kind present, zero when none). */
  counts(): Record<FaultKind, number>;
  /** Requests being held by `hang` right now. */
  hanging(): number;
}

/** mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** cyrb53: a 53-bit string hash, good enough to key occurrence counters and seed per-request draws. */
function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function rate(rule: FaultRule, kind: FaultKind): number {
  return rule[kind] ?? 0;
}

function validate(rules: FaultRules): void {
  if (!Number.isFinite(rules.seed)) throw new RangeError(`Fault seed must be a finite number, got ${rules.seed}`);
  rules.rules.forEach((rule, i) => {
    const where = `Fault rule ${i}`;
    let sum = 0;
    for (const kind of FAULT_KINDS) {
      const r = rate(rule, kind);
      if (!(r >= 0 && r <= 1)) throw new RangeError(`${where}: ${kind} must be a rate in [0, 1], got ${r}`);
      sum += r;
    }
    if (sum > 1 + 1e-9) throw new RangeError(`${where}: the rates add up to ${sum}, more than 1`);
    const statuses = rule.serverErrorStatuses;
    if (statuses !== undefined && (statuses.length === 0 || statuses.some((s) => !Number.isInteger(s) || s < 500 || s > 599))) {
      throw new RangeError(`${where}: serverErrorStatuses must be a non-empty list of 5xx statuses`);
    }
    const wholeOrUndefined = (name: keyof FaultRule, value: number | undefined): void => {
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
        throw new RangeError(`${where}: ${name} must be a whole number ≥ 0, got ${value}`);
      }
    };
    wholeOrUndefined('retryAfterSeconds', rule.retryAfterSeconds);
    wholeOrUndefined('slowBodyMs', rule.slowBodyMs);
    wholeOrUndefined('hangMaxMs', rule.hangMaxMs);
    wholeOrUndefined('maxFaults', rule.maxFaults);
  });
}

function covers(rule: FaultRule, method: string, path: string): boolean {
  if (rule.stateChanging === true && SAFE_METHODS.has(method)) return false;
  if (rule.method !== undefined) {
    const methods = typeof rule.method === 'string' ? [rule.method] : rule.method;
    if (!methods.some((m) => m.toUpperCase() === method)) return false;
  }
  if (typeof rule.path === 'string' && !path.startsWith(rule.path)) return false;
  if (rule.path instanceof RegExp) {
    rule.path.lastIndex = 0; // a /g or /y RegExp would otherwise carry state from request to request
    if (!rule.path.test(path)) return false;
  }
  return true;
}

function applies(rule: FaultRule, kind: FaultKind): boolean {
  if (kind === 'slowBody') return true;
  if (kind !== 'reset' && kind !== 'hang' && kind !== 'malformed') return false;
  const setting = rule.applyBeforeFailure;
  if (setting === true) return kind !== 'malformed';
  return Array.isArray(setting) && (setting as readonly FaultKind[]).includes(kind);
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

function json(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(value) };
}

const REASONS: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An error body in the style of the provider whose paths `path` belongs to, or a generic one. */
export function providerError(path: string, status: number, headers: Record<string, string> = {}): SimResponse {
  const pathname = path.split('?')[0] ?? '';
  const reason = REASONS[status] ?? 'Server Error';
  const rateLimited = status === 429;
  if (pathname.startsWith('/consignments/')) {
    const code = reason.replace(/\s+/g, '');
    const message = rateLimited
      ? 'Rate limit is exceeded. Try again later.'
      : `The service is temporarily unavailable (${reason})`;
    return json(status, { Code: code, Message: message, CorrelationId: randomUUID() }, headers);
  }
  if (pathname.startsWith('/shipments/')) {
    const code = `${status}_${reason.toLowerCase().replace(/\s+/g, '_')}`;
    const message = rateLimited ? sortedMessages.rateLimited : reason;
    return json(status, { correlation_id: randomUUID(), code, message }, headers);
  }
  if (pathname.startsWith('/api/v2/') || pathname.startsWith('/oauth2/')) {
    const message = rateLimited ? sendcloudMessages.throttled : reason;
    return json(status, { error: { code: status, request: pathname.replace(/^\//, ''), message } }, headers);
  }
  if (pathname.startsWith('/api/v3/')) {
    const code = rateLimited ? 'throttled' : reason.toLowerCase().replace(/\s+/g, '_');
    return json(status, { errors: [{ status: String(status), code, detail: reason }] }, headers);
  }
  return json(status, { code: rateLimited ? 'rate_limited' : 'server_error', message: reason }, headers);
}

/** A JSON body cut off partway, so a parser fails on it. */
function truncated(body: string | undefined): string {
  const text = body !== undefined && body.length > 1 ? body : '{"status":"ok","message":"The request was processed"}';
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}

/** Faults that answer: the response to send instead of (or made from) the provider's `answer`. */
export function faultAnswer(decision: FaultDecision, path: string, answer: SimResponse | undefined): SimResponse {
  const { rule } = decision;
  switch (decision.kind) {
    case 'serverError':
      return providerError(path, decision.status);
    case 'rateLimited': {
      const seconds = rule.retryAfterSeconds ?? 1;
      const retryAfter =
        rule.retryAfterFormat === 'http-date'
          ? new Date(Math.ceil((Date.now() + seconds * 1000) / 1000) * 1000).toUTCString()
          : String(seconds);
      return providerError(path, 429, { 'retry-after': retryAfter });
    }
    case 'malformed':
      return decision.apply && answer !== undefined
        ? { status: answer.status, headers: { ...answer.headers, ...JSON_HEADERS }, body: truncated(answer.body) }
        : { status: 200, headers: { ...JSON_HEADERS }, body: truncated(undefined) };
    default:
      if (answer === undefined) throw new Error(`A ${decision.kind} fault has no answer to send`);
      return answer;
  }
}

interface Held {
  kind: 'hang' | 'slowBody';
  res: ServerResponse;
  timer: NodeJS.Timeout | undefined;
}

/** The simulator's fault state: rules, draws, counts, and the requests being held or dribbled. */
export class SimFaults implements FaultControl {
  private rules: FaultRules | undefined;
  private readonly occurrences = new Map<number, number>();
  private readonly faultsByRule = new Map<number, number>();
  private tally = emptyCounts();
  private readonly held = new Set<Held>();

  set(rules: FaultRules): void {
    validate(rules);
    this.rules = { seed: rules.seed, rules: rules.rules.map((rule) => ({ ...rule })) };
    this.occurrences.clear();
    this.faultsByRule.clear();
    this.tally = emptyCounts();
  }

  clear(): void {
    this.rules = undefined;
    this.occurrences.clear();
    this.faultsByRule.clear();
  }

  counts(): Record<FaultKind, number> {
    return { ...this.tally };
  }

  hanging(): number {
    return [...this.held].filter((held) => held.kind === 'hang').length;
  }

  /** Picks the fault (if any) for one request and counts it. Called once per request, on arrival. */
  decide(method: string, path: string, body: string): FaultDecision | undefined {
    const rules = this.rules;
    if (rules === undefined) return undefined;
    const index = rules.rules.findIndex((rule) => covers(rule, method, path));
    const rule = rules.rules[index];
    if (rule === undefined) return undefined;
    const key = hash53(`${method} ${path}\n${body}`);
    const n = this.occurrences.get(key) ?? 0;
    this.occurrences.set(key, n + 1);
    const random = mulberry32(hash53(`${rules.seed}:${index}:${n}:${key}`));
    const draw = random();
    const statusDraw = random();
    let kind: FaultKind | undefined;
    let edge = 0;
    for (const k of FAULT_KINDS) {
      edge += rate(rule, k);
      if (draw < edge) {
        kind = k;
        break;
      }
    }
    if (kind === undefined) return undefined;
    const used = this.faultsByRule.get(index) ?? 0;
    if (rule.maxFaults !== undefined && used >= rule.maxFaults) return undefined;
    this.faultsByRule.set(index, used + 1);
    this.tally[kind] += 1;
    const statuses = rule.serverErrorStatuses ?? [500, 502, 503];
    const status = statuses[Math.floor(statusDraw * statuses.length)] ?? 500;
    return { kind, apply: applies(rule, kind), status, rule };
  }

  /** Holds `res` unanswered until the client leaves, `maxMs` passes (socket destroyed) or `destroyAll`. */
  hang(res: ServerResponse, maxMs: number): void {
    const held: Held = { kind: 'hang', res, timer: undefined };
    held.timer = setTimeout(() => res.socket?.destroy(), maxMs);
    held.timer.unref();
    this.track(held);
  }

  /** Kills the connection without an answer. */
  reset(res: ServerResponse, style: 'rst' | 'close' = 'rst'): void {
    const socket = res.socket;
    if (socket === null) return;
    if (style === 'rst' && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }

  /** Sends status and headers now, then the body a piece at a time so that it ends `totalMs` later. */
  dribble(res: ServerResponse, answer: SimResponse, totalMs: number, onEnd: () => void): void {
    const body = Buffer.from(answer.body ?? '', 'utf8');
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
    res.flushHeaders();
    const pieces = Math.max(1, Math.min(body.length, 20));
    const size = Math.ceil(body.length / pieces);
    const interval = totalMs / pieces;
    const held: Held = { kind: 'slowBody', res, timer: undefined };
    let sent = 0;
    const step = (): void => {
      held.timer = undefined;
      if (res.destroyed) return;
      sent += 1;
      const piece = body.subarray((sent - 1) * size, sent * size);
      if (sent >= pieces) {
        this.held.delete(held);
        onEnd();
        res.end(piece);
        return;
      }
      res.write(piece);
      held.timer = setTimeout(step, interval);
      held.timer.unref();
    };
    held.timer = setTimeout(step, interval);
    held.timer.unref();
    this.track(held);
  }

  /** Destroys every held or dribbling connection and stops their timers (offline, close). */
  destroyAll(): void {
    for (const held of [...this.held]) {
      clearTimeout(held.timer);
      held.timer = undefined;
      held.res.socket?.destroy();
      held.res.destroy();
    }
    this.held.clear();
  }

  private track(held: Held): void {
    this.held.add(held);
    held.res.once('close', () => {
      clearTimeout(held.timer);
      held.timer = undefined;
      this.held.delete(held);
    });
  }
}

function emptyCounts(): Record<FaultKind, number> {
  return { serverError: 0, rateLimited: 0, reset: 0, hang: 0, slowBody: 0, malformed: 0 };
}
