// Runs a command where keytar can reach a real Secret Service. On Linux without a session bus
// (CI, a terminal over SSH) it starts a private D-Bus session with an unlocked GNOME Keyring in a
// fresh folder; elsewhere (Windows, macOS, a desktop session) it runs the command as it is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const command = process.argv.slice(2);
const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const needsKeyring =
  process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && has('dbus-run-session') && has('gnome-keyring-daemon');

const result = needsKeyring
  ? spawnSync(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        'printf bulk-cancel | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"',
        'sh',
        ...command,
      ],
      { stdio: 'inherit', env: { ...process.env, XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'bulk-cancel-keyring-')) } },
    )
  : spawnSync(command[0], command.slice(1), { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
