/**
 * Turns what the clerk gives us (a chosen or dropped file, or pasted text) into the `ImportInput`
 * main reads. Files travel as their raw bytes, once, so main can detect their encoding itself.
 */
import { MAX_IMPORT_TEXT, type ImportInput } from '../../shared/contract';
import { MAX_IMPORT_BYTES } from '../../shared/domain';

/** Reads a file the clerk chose or dropped; throws a clerk-readable Error when it cannot be used. */
export async function sourceFromFile(file: File): Promise<ImportInput> {
  if (file.size > MAX_IMPORT_BYTES) {
    const megabytes = Math.round(MAX_IMPORT_BYTES / (1024 * 1024));
    throw new Error(`${file.name} is too large. Bulk Cancel reads files up to ${megabytes} MB.`);
  }
  let buffer: ArrayBuffer;
  try {
    buffer = await file.arrayBuffer();
  } catch {
    throw new Error(`${file.name} could not be read. Check that the file is still there and try again.`);
  }
  return { kind: 'bytes', fileName: file.name, bytes: new Uint8Array(buffer) };
}

/** Wraps a pasted list; throws a clerk-readable Error when it is empty or too long. */
export function sourceFromText(text: string): ImportInput {
  if (!text.trim()) throw new Error('Paste at least one shipment reference first.');
  if (text.length > MAX_IMPORT_TEXT) throw new Error('The pasted list is too long. Save it as a file and import that.');
  return { kind: 'text', fileName: null, text };
}
