/**
 * Saves a file the clerk asked for (results, rejected rows) where the clerk chooses, through the
 * shell's save dialog: null when the clerk cancelled it, and a sentence to act on when it cannot be written.
 */
import { writeFile } from 'node:fs/promises';
import { AppError } from '../errors';
import { fileSystemReason } from '../paths';
import type { ShellHooks } from './context';

export async function saveFile(shell: ShellHooks, suggestedName: string, content: string): Promise<string | null> {
  if (!shell.chooseExportPath) throw new AppError('invalid_request', 'Saving files is not available here.');
  const path = await shell.chooseExportPath(suggestedName);
  if (path === null) return null;
  try {
    await writeFile(path, content, 'utf8');
  } catch (error) {
    throw new AppError('bad_input', `The file could not be saved to ${path}: ${fileSystemReason(error)}. Choose another place.`);
  }
  return path;
}
