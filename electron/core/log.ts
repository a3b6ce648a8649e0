/**
 * The app's log, for support: one file in the log folder (`bulk-cancel.log`, moved to
 * `bulk-cancel.old.log` when it passes 5 MB, so two files at most), written asynchronously
 * (log-file.ts), so a line per attempt costs the sending loop a few microseconds.
 *
 * Every record passes through `redact` on its way to the file: credential headers and fields,
 * Basic/Bearer tokens, OAuth2 secrets and tokens, passwords in URLs, and every value registered as a
 * secret at runtime (raw, JSON-escaped, base64 and URL-encoded), so even an accidental message
 * cannot carry a key into the file.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { logFile } from './log-file';

export const REDACTED = '[redacted]';
export const LOG_FILE = 'bulk-cancel.log';
export const OLD_LOG_FILE = 'bulk-cancel.old.log';
export const LOG_MAX_BYTES = 5 * 1024 * 1024;
/** Shorter values are not registered: they would scrub ordinary words and no real key is that short. */
export const MIN_SECRET_LENGTH = 6;

export type Fields = Record<string, unknown>;

export interface Log {
  error(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  /** From now on this value, in any of its encoded forms, is scrubbed from every record. */
  addSecret(secret: string): void;
  /** Redacts text with the same rules and every secret registered so far. */
  redactText(text: string): string;
  /** Resolves once every line logged before the call is in the file (or dropped, when it could not be written). */
  flush(): Promise<void>;
  /** The last lines of the log (the previous file's too when needed), oldest first, redacted again. */
  tail(count: number): Promise<string[]>;
  /** The folder the log is written to; null for a log that writes nothing. */
  readonly dir: string | null;
}

/** The values registered as secrets, with one search pattern over all their forms. */
export class Secrets {
  private readonly forms = new Set<string>();
  private pattern: RegExp | null = null;

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH) return;
    const before = this.forms.size;
    // A form inside the marker itself could never be scrubbed; no real key is part of "[redacted]".
    for (const form of encodedForms(secret)) if (!REDACTED.includes(form)) this.forms.add(form);
    if (this.forms.size === before) return;
    const alternatives = [...this.forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = new RegExp(alternatives.join('|'), 'g');
  }

  /** Replaces every registered form; text still holding one after a few passes is withheld whole. */
  scrub(text: string): string {
    const pattern = this.pattern;
    if (!pattern) return text;
    let out = text;
    for (let pass = 0; pass < 4; pass++) {
      pattern.lastIndex = 0;
      if (!pattern.test(out)) return out;
      out = out.replace(pattern, REDACTED);
    }
    pattern.lastIndex = 0;
    return pattern.test(out) ? REDACTED : out;
  }
}

/** The ways a secret shows up in text: as is, inside JSON, in base64 (Basic auth), URL-encoded. */
export function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ];
}

/** Header and field names whose value is a credential, wherever they appear. */
const SENSITIVE_NAME =
  'proxy-authorization|authorization|ocp-apim-subscription-key|subscription[-_]?key|x-api-key|api[-_]?key|access[-_]?key|private[-_]?key|x-auth-token|auth[-_]?token|access[-_]?token|refresh[-_]?token|id[-_]?token|client[-_]?secret|secret[-_]?key|secret|password|passwd|set-cookie|cookie|token';
const SENSITIVE_KEY = new RegExp(`^(?:${SENSITIVE_NAME})$`, 'i');

const TEXT_RULES: readonly [RegExp, string][] = [
  // Cookies run to the end of the line (they hold several name=value pairs).
  [/(["']?)\b((?:set-)?cookie)\1(\s*[:=]\s*)[^\r\n"']+/gi, `$1$2$1$3${REDACTED}`],
  // `authorization: Basic …`, `"api-key":"…"`, `access_token=…&`, `client_secret: …`
  [
    new RegExp(`(["']?)\\b(${SENSITIVE_NAME})\\1(\\s*[:=]\\s*)(["']?)(?:(?:Basic|Bearer|Digest)\\s+)?[^\\s"',;&}]+`, 'gi'),
    `$1$2$1$3$4${REDACTED}`,
  ],
  // A Basic/Bearer credential wherever it stands (not a word followed by `=value`, as in `Basic provider=x`).
  [/\b(Basic|Digest|Bearer|bearer)\s+[A-Za-z0-9._~+/-]{6,}=*(?![\w=])/g, `$1 ${REDACTED}`],
  // A JSON web token (OAuth2 access tokens often are).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // A user and password in a URL.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${REDACTED}@`],
];

/** Text without any of these cannot match a rule: most lines skip the rules after this one test. */
const MAYBE_CREDENTIAL = /auth|key|token|secret|passw|cookie|basic|bearer|digest|eyJ|:\/\//i;

/**
 * Redacts one piece of text: every registered secret, the credential patterns, and the secrets once
 * more, so no pattern's replacement can ever leave a registered secret behind.
 */
export function redactText(text: string, secrets?: Secrets): string {
  let out = secrets ? secrets.scrub(text) : text;
  if (MAYBE_CREDENTIAL.test(out)) for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return secrets ? secrets.scrub(out) : out;
}

/**
 * Redacts any value for the log: strings by `redactText`, objects and arrays member by member (a
 * member named like a credential loses its value whole), errors down to their redacted message.
 */
export function redact(value: unknown, secrets?: Secrets): unknown {
  return redactWith(value, (text) => redactText(text, secrets), new WeakSet(), 0);
}

function redactWith(value: unknown, text: (text: string) => string, seen: WeakSet<object>, depth: number): unknown {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? `[${typeof value}]` : value;
  }
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const cause = value.cause === undefined ? '' : ` (cause: ${String(redactWith(value.cause, text, seen, depth + 1))})`;
    return text(`${value.message}${cause}`);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactWith(item, text, seen, depth + 1));
  const entries =
    value instanceof Map || value instanceof Headers ? [...value.entries()] : Object.entries(value as Record<string, unknown>);
  return Object.fromEntries(
    entries.map(([key, member]) => [text(String(key)), redactMember(String(key), member, text, seen, depth + 1)]),
  );
}

function redactMember(
  key: string,
  member: unknown,
  text: (text: string) => string,
  seen: WeakSet<object>,
  depth: number,
): unknown {
  if (SENSITIVE_KEY.test(key) && member !== null && member !== undefined && member !== '') return REDACTED;
  return redactWith(member, text, seen, depth);
}

/**
 * `event key=value key="two words" key={"json":1}`, redacted: members named like a credential and
 * errors first, then the whole line as text (one pass, so a line per attempt stays cheap).
 */
export function formatRecord(event: string, fields: Fields | undefined, secrets?: Secrets): string {
  let line = event;
  const seen = new WeakSet<object>();
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue;
    const member = redactMember(key, value, (text) => text, seen, 0);
    const shown =
      typeof member !== 'string' ? JSON.stringify(member) : /^[^\s"=]+$/.test(member) ? member : JSON.stringify(member);
    line += ` ${key}=${shown}`;
  }
  return redactText(line, secrets);
}

/** The log in `dir` (created when needed). Logging never throws, even when the file cannot be written. */
export function openLog(dir: string, maxBytes = LOG_MAX_BYTES): Log {
  const secrets = new Secrets();
  const file = logFile(join(dir, LOG_FILE), join(dir, OLD_LOG_FILE), maxBytes);
  // The one door to the file: every record is redacted here, whatever called the logger.
  const write = (level: 'error' | 'warn' | 'info') => {
    const label = level.toUpperCase().padEnd(5);
    return (event: string, fields?: Fields) =>
      file.append(`${new Date().toISOString()} ${label} ${formatRecord(event, fields, secrets)}`);
  };
  return {
    dir,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    addSecret: (secret) => secrets.add(secret),
    redactText: (text) => redactText(text, secrets),
    flush: () => file.flush(),
    async tail(count) {
      await this.flush();
      const lines: string[] = [];
      for (const name of [LOG_FILE, OLD_LOG_FILE]) {
        if (lines.length >= count) break;
        const found = await lastLines(join(dir, name), count - lines.length);
        lines.unshift(...found);
      }
      return lines.map((line) => redactText(line, secrets));
    },
  };
}

/** A log that writes nothing but still answers, for tests and tools that keep no log. */
export function silentLog(): Log {
  return {
    dir: null,
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    addSecret: () => undefined,
    redactText: (text) => redactText(text),
    flush: async () => undefined,
    tail: async () => [],
  };
}

/** The last `count` lines of a file, reading at most its last 512 KiB; none when it does not exist. */
async function lastLines(path: string, count: number): Promise<string[]> {
  const size = await stat(path).then(
    (found) => found.size,
    () => 0,
  );
  if (size === 0) return [];
  const length = Math.min(size, 512 * 1024);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    if (length < size) lines.shift(); // the first line was cut
    return lines.filter((line) => line !== '').slice(-count);
  } finally {
    await handle.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
