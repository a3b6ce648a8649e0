/**
 * Turns what the clerk gives us (a chosen or dropped file, or pasted text) into the `ImportSource`
 * main parses. Files travel as raw bytes in base64 so main can detect their encoding itself.
 */
import { MAX_IMPORT_BASE64, MAX_IMPORT_TEXT, type ImportSource } from '../../shared/contract';

/** Largest file main accepts: base64 grows 3 bytes into 4 characters. */
const MAX_FILE_BYTES = Math.floor(MAX_IMPORT_BASE64 / 4) * 3;

// A multiple of 3, so every chunk encodes to base64 without padding and the pieces can be joined.
const CHUNK_BYTES = 3 * 16_384;

type WithToBase64 = Uint8Array & { toBase64?: () => string };

/** Base64 of the bytes, fast for files of many megabytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as WithToBase64).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  const pieces: string[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    const chunk = bytes.subarray(start, start + CHUNK_BYTES);
    pieces.push(btoa(String.fromCharCode.apply(null, chunk as unknown as number[])));
  }
  return pieces.join('');
}

/** Reads a file the clerk chose or dropped; throws a clerk-readable Error when it cannot be used. */
export async function sourceFromFile(file: File): Promise<ImportSource> {
  if (file.size > MAX_FILE_BYTES) {
    const megabytes = Math.round(MAX_FILE_BYTES / (1024 * 1024));
    throw new Error(`${file.name} is too large. Bulk Cancel reads files up to ${megabytes} MB.`);
  }
  let buffer: ArrayBuffer;
  try {
    buffer = await file.arrayBuffer();
  } catch {
    throw new Error(`${file.name} could not be read. Check that the file is still there and try again.`);
  }
  return { kind: 'bytes', fileName: file.name, base64: bytesToBase64(new Uint8Array(buffer)) };
}

/** Wraps a pasted list; throws a clerk-readable Error when it is empty or too long. */
export function sourceFromText(text: string): ImportSource {
  if (!text.trim()) throw new Error('Paste at least one shipment reference first.');
  if (text.length > MAX_IMPORT_TEXT) throw new Error('The pasted list is too long. Save it as a file and import that.');
  return { kind: 'text', fileName: null, text };
}
