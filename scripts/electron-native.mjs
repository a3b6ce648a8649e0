// Builds better-sqlite3 for Electron's ABI into .cache/electron-native/<electron version>/, beside
// (not over) the Node build in node_modules that tests, the CLI and benchmarks use. The app passes
// this file to better-sqlite3 as its `nativeBinding`. Runs before `npm start`; after `npm install`
// only where the Electron binary is present (`--if-electron`), and then never fails the install.
// `npm run dist` packs this file (electron-builder.yml), so a new build replaces those of other versions.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const optional = process.argv.includes('--if-electron');
const require = createRequire(import.meta.url);

function electronVersion() {
  try {
    const binary = require('electron'); // the path of the downloaded binary
    return existsSync(binary) ? require('electron/package.json').version : null;
  } catch {
    return null;
  }
}

const version = electronVersion();
if (!version) {
  const message = 'Electron binary not installed: skipping the Electron build of better-sqlite3.';
  if (optional) {
    console.log(message);
    process.exit(0);
  }
  console.error(`${message} Install without ELECTRON_SKIP_BINARY_DOWNLOAD to run the app.`);
  process.exit(1);
}

const target = join('.cache', 'electron-native', version, 'better_sqlite3.node');
if (existsSync(target)) process.exit(0);

const work = mkdtempSync(join(tmpdir(), 'bulk-cancel-native-'));
try {
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const copy = join(work, 'node_modules', 'better-sqlite3');
  cpSync(source, copy, { recursive: true, filter: (path) => !path.includes(join('build', 'Release', 'obj')) });
  rmSync(join(copy, 'build'), { recursive: true, force: true });
  const { version: sqliteVersion } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'native-build', version: '1.0.0', dependencies: { 'better-sqlite3': sqliteVersion } }),
  );
  const { rebuild } = await import('@electron/rebuild');
  console.log(`Building better-sqlite3 for Electron ${version}…`);
  await rebuild({ buildPath: work, electronVersion: version, onlyModules: ['better-sqlite3'], force: true });
  rmSync(dirname(dirname(target)), { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target);
  console.log(`Built ${target}`);
} catch (error) {
  console.error(`Could not build better-sqlite3 for Electron: ${error instanceof Error ? error.message : error}`);
  process.exit(optional ? 0 : 1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
