/**
 * The packaging config as electron-builder reads it: valid against electron-builder's own schema,
 * the fuses it flips in the packaged binary, the targets per platform, the Electron build of
 * better-sqlite3 it packs, and the names the app's data folder is derived from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import Ajv from 'ajv';
import { LinuxPackager, type Configuration } from 'electron-builder';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_NAME, defaultDataDir } from '../../electron/core/paths';

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Configuration;
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { productName: string; scripts: Record<string, string> };

function builderSchemaValidator() {
  const schema = JSON.parse(readFileSync(join('node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

/** The step electron-builder runs right before it flips the fuses: config → the fuse wire. */
async function fuseWire(fuses: Configuration['electronFuses']): Promise<Record<string, unknown>> {
  const packager = LinuxPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<Record<string, unknown>> };
  return packager.generateFuseConfig(fuses);
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const validate = builderSchemaValidator();
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The validator does catch mistakes: a misspelt fuse is refused.
    expect(validate({ ...config, electronFuses: { runAsnode: false } })).toBe(false);
  });

  it('flips exactly the security fuses in the packaged binary', async () => {
    expect(await fuseWire(config.electronFuses)).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    // OnlyLoadAppFromAsar and asar integrity need the app inside an integrity-checked asar.
    expect(config.asar ?? true).toBe(true);
    expect(config.disableAsarIntegrity ?? false).toBe(false);
  });

  it('builds AppImage and deb on Linux, an NSIS installer on Windows and a dmg on macOS', () => {
    expect(config.appId).toBe('com.bulkcancel.app');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.deb?.depends).toContain('libsecret-1-0'); // keytar's way to the keychain
  });

  it('has an icon of at least 512×512 that electron-builder can turn into .ico and .icns', () => {
    const png = readFileSync(join(config.directories?.buildResources ?? 'build', 'icon.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });

  it("packs the Electron build of better-sqlite3, unpacked from the asar, and leaves node_modules' Node build out", () => {
    const files = (config.files ?? []) as string[];
    const matches = (path: string, negated: boolean) =>
      files.some((pattern) => pattern.startsWith('!') === negated && minimatch(path, pattern.replace(/^!/, ''), { dot: true }));
    const excluded = (path: string) => matches(path, true);
    const included = (path: string) => matches(path, false) && !excluded(path);
    // Where scripts/electron-native.mjs writes it and electron/main/index.ts (sqliteBinding) reads it.
    expect(included('.cache/electron-native/41.2.0/better_sqlite3.node')).toBe(true);
    expect(included('.cache/tsc/node/electron/main/index.js')).toBe(false);
    expect(included('out/renderer/index.html')).toBe(true);
    expect(excluded('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(excluded('node_modules/better-sqlite3/lib/database.js')).toBe(false);
    expect(config.asarUnpack).toContain('**/*.node');
    // Rebuilding node_modules in place would leave the Node build broken for `npm test` and the CLI.
    expect(config.npmRebuild).toBe(false);
    expect(packageJson.scripts.dist).toMatch(/electron-vite build && node scripts\/electron-native\.mjs && electron-builder/);
  });

  it('names the app as the CLI does, so both find the same data folder', () => {
    expect(config.productName).toBe(APP_NAME);
    expect(packageJson.productName).toBe(APP_NAME);
  });

  // Electron's userData is <appData>/<productName>; appData is documented per platform. Compared with
  // "/" as separator, so the check holds whichever path flavour builds the Windows path.
  it.each([
    [
      'win32',
      'C:\\Users\\clerk',
      { APPDATA: 'C:\\Users\\clerk\\AppData\\Roaming' },
      'C:/Users/clerk/AppData/Roaming/Bulk Cancel',
    ],
    ['darwin', '/Users/clerk', {}, '/Users/clerk/Library/Application Support/Bulk Cancel'],
    ['linux', '/home/clerk', {}, '/home/clerk/.config/Bulk Cancel'],
    ['linux', '/home/clerk', { XDG_CONFIG_HOME: '/home/clerk/.xdg' }, '/home/clerk/.xdg/Bulk Cancel'],
  ] as const)("puts the packaged app's data where Electron's userData is on %s", (platform, home, env, expected) => {
    expect(defaultDataDir(env, platform, home).replaceAll('\\', '/')).toBe(expected);
  });
});
