import { describe, expect, it } from 'vitest';
import { defaultDataDir, defaultLogDir } from '../../electron/core/paths';

const none: NodeJS.ProcessEnv = {};

describe('where the data and the logs live when nobody says otherwise (Electron userData and logs)', () => {
  it('on Linux: the XDG config folder, or ~/.config; logs inside it', () => {
    expect(defaultDataDir(none, 'linux', '/home/clerk')).toBe('/home/clerk/.config/Bulk Cancel');
    expect(defaultLogDir(none, 'linux', '/home/clerk')).toBe('/home/clerk/.config/Bulk Cancel/logs');
    const xdg = { XDG_CONFIG_HOME: '/srv/conf' };
    expect(defaultDataDir(xdg, 'linux', '/home/clerk')).toBe('/srv/conf/Bulk Cancel');
    expect(defaultLogDir(xdg, 'linux', '/home/clerk')).toBe('/srv/conf/Bulk Cancel/logs');
  });

  it('on macOS: Application Support for data, ~/Library/Logs for logs', () => {
    expect(defaultDataDir(none, 'darwin', '/Users/clerk')).toBe('/Users/clerk/Library/Application Support/Bulk Cancel');
    expect(defaultLogDir(none, 'darwin', '/Users/clerk')).toBe('/Users/clerk/Library/Logs/Bulk Cancel');
  });

  it('on Windows: %APPDATA% (else the roaming folder under the profile), with backslashes; logs inside it', () => {
    const env = { APPDATA: 'C:\\Users\\clerk\\AppData\\Roaming' };
    expect(defaultDataDir(env, 'win32', 'C:\\Users\\clerk')).toBe('C:\\Users\\clerk\\AppData\\Roaming\\Bulk Cancel');
    expect(defaultLogDir(env, 'win32', 'C:\\Users\\clerk')).toBe('C:\\Users\\clerk\\AppData\\Roaming\\Bulk Cancel\\logs');
    expect(defaultDataDir(none, 'win32', 'C:\\Users\\clerk')).toBe('C:\\Users\\clerk\\AppData\\Roaming\\Bulk Cancel');
  });

  it('BULK_CANCEL_DATA_DIR moves both, the logs into its logs folder, on every platform', () => {
    const env = { BULK_CANCEL_DATA_DIR: '/tmp/isolated', APPDATA: 'C:\\x', XDG_CONFIG_HOME: '/srv/conf' };
    for (const platform of ['linux', 'darwin'] as const) {
      expect(defaultDataDir(env, platform, '/home/clerk')).toBe('/tmp/isolated');
      expect(defaultLogDir(env, platform, '/home/clerk')).toBe('/tmp/isolated/logs');
    }
    const windows = { BULK_CANCEL_DATA_DIR: 'D:\\BulkCancel' };
    expect(defaultDataDir(windows, 'win32', 'C:\\Users\\clerk')).toBe('D:\\BulkCancel');
    expect(defaultLogDir(windows, 'win32', 'C:\\Users\\clerk')).toBe('D:\\BulkCancel\\logs');
  });
});
