/**
 * Where the app keeps its data and its logs when nobody says otherwise: the folders Electron's
 * `userData` and `logs` resolve to for "Bulk Cancel", so the app and the CLI share one database and
 * one log. `BULK_CANCEL_DATA_DIR` moves both (the logs into its `logs` folder), so tests and scripts
 * stay apart from the clerk's own data. Also makes the data folder, and words file-system failures
 * for a clerk.
 */
import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { parse, posix, resolve, sep, win32 } from 'node:path';
import { AppError } from './errors';

export const APP_NAME = 'Bulk Cancel';
export const LOG_FOLDER = 'logs';

/** The platform's own path rules, so Windows paths are built with backslashes wherever this runs. */
const pathFor = (platform: NodeJS.Platform) => (platform === 'win32' ? win32 : posix);

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.BULK_CANCEL_DATA_DIR) return env.BULK_CANCEL_DATA_DIR;
  const { join } = pathFor(platform);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

/** Electron's `app.getPath('logs')`: `~/Library/Logs/Bulk Cancel` on macOS, else `logs` in the data folder. */
export function defaultLogDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const { join } = pathFor(platform);
  if (platform === 'darwin' && !env.BULK_CANCEL_DATA_DIR) return join(home, 'Library', 'Logs', APP_NAME);
  return join(defaultDataDir(env, platform, home), LOG_FOLDER);
}

/** Why the file system refused, in a clerk's words (from Node's errno code), e.g. "it does not exist". */
export function fileSystemReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'part of its path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'you have no permission';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENAMETOOLONG':
      return 'its name is too long';
    case 'ELOOP':
      return 'its path has a link that points to itself';
    default:
      return 'the system refused';
  }
}

/**
 * Makes the data folder and any folder above it that is missing, one at a time. Node's recursive
 * mkdir loops for ever where the system answers "no such folder" to making one (under /proc), and
 * reports a file in the way as "EEXIST"; this names the folder at fault instead (bad input: nothing
 * was changed).
 */
export function makeDataFolder(dataDir: string): void {
  const full = resolve(dataDir);
  const { root } = parse(full);
  let folder = root;
  for (const part of full.slice(root.length).split(sep).filter(Boolean)) {
    folder = folder.endsWith(sep) ? `${folder}${part}` : `${folder}${sep}${part}`;
    if (isFolder(folder, full)) continue;
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process may have made it meanwhile.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && isFolder(folder, full)) continue;
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the system allows no new folder there' : fileSystemReason(error);
      throw new AppError(
        'bad_input',
        `The data folder ${full} cannot be used: the folder ${folder} cannot be created (${why}); choose another data folder.`,
      );
    }
  }
}

/** Whether `folder` exists as a folder; false when it is missing; a file in the way is refused. */
function isFolder(folder: string, dataDir: string): boolean {
  let found;
  try {
    found = statSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new AppError(
      'bad_input',
      `The data folder ${dataDir} cannot be used: ${folder} cannot be reached (${fileSystemReason(error)}); choose another data folder.`,
    );
  }
  if (found.isDirectory()) return true;
  throw new AppError(
    'bad_input',
    `The data folder ${dataDir} cannot be used: ${folder} is a file, not a folder; choose another data folder.`,
  );
}
