/**
 * Where the app keeps its data when nobody says otherwise: the same folder Electron's `userData`
 * resolves to for "Bulk Cancel", so the app and the CLI share one database.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Bulk Cancel';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.BULK_CANCEL_DATA_DIR) return env.BULK_CANCEL_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}
