/**
 * Where the app keeps its data and its logs when nobody says otherwise: the folders Electron's
 * `userData` and `logs` resolve to for "Bulk Cancel", so the app and the CLI share one database and
 * one log. `BULK_CANCEL_DATA_DIR` moves both (the logs into its `logs` folder), so tests and scripts
 * stay apart from the clerk's own data.
 */
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

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
