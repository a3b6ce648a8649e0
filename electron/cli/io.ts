/**
 * How the CLI talks to its terminal: reading its input (a secret line, or a whole list from a file
 * or stdin, never more than a limit), asking for a secret without echo on a terminal, and printing
 * either one JSON document or plain lines.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { AppError } from '../core/errors';
import { MAX_IMPORT_BYTES, inputTooLarge } from '../core/import/limits';

/**
 * A stream read to its end, refused as soon as it passes `limit` bytes: an endless stdin or
 * `/dev/zero` is stopped there, not read into memory. `until` ends the read early (a secret's line end).
 */
async function readAtMost(
  stream: Readable,
  limit: number,
  tooLarge: () => AppError,
  until?: (chunk: Buffer) => boolean,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length > limit) throw tooLarge();
      if (until?.(chunk as Buffer)) break;
    }
  } finally {
    // Stops reading (and lets the process end) even when the input never would.
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** A list to import, from a file or (`-`) stdin, refused past the import limit. */
export function readInput(file: string): Promise<Buffer> {
  return readAtMost(file === '-' ? process.stdin : createReadStream(file), MAX_IMPORT_BYTES, inputTooLarge);
}

/** No key is anywhere near this long; a longer first line on stdin is not a key. */
const MAX_SECRET_BYTES = 64 * 1024;

/** One line from stdin with its line ending removed; a terminal gets a prompt that does not echo. */
export async function readSecretLine(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const tooLong = () => new AppError('bad_input', 'The API key on stdin is longer than 64 KiB: give the key as one line.');
    const bytes = await readAtMost(process.stdin, MAX_SECRET_BYTES, tooLong, (chunk) => chunk.includes(0x0a));
    const text = bytes.toString('utf8');
    return (text.split('\n')[0] ?? '').replace(/\r$/, '');
  }
  process.stderr.write(prompt);
  let muted = true;
  const output = new Writable({
    write(_chunk, _encoding, callback) {
      if (!muted) process.stderr.write(_chunk as Buffer);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const line = await new Promise<string>((resolve) => rl.once('line', resolve));
  muted = false;
  rl.close();
  process.stderr.write('\n');
  return line.replace(/\r$/, '');
}

export interface Output {
  json: boolean;
  /** With --json: the one document; otherwise the plain lines. */
  result(document: unknown, lines: () => string[]): void;
}

export function output(json: boolean): Output {
  return {
    json,
    result(document, lines) {
      if (json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
      else
        process.stdout.write(
          lines()
            .map((line) => `${line}\n`)
            .join(''),
        );
    },
  };
}
