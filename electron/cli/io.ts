/**
 * How the CLI talks to its terminal: reading stdin (a secret line, or a whole file), asking for a
 * secret without echo on a terminal, and printing either one JSON document or plain lines.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** One line from stdin with its line ending removed; a terminal gets a prompt that does not echo. */
export async function readSecretLine(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const text = (await readStdin()).toString('utf8');
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
