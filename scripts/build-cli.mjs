// Bundles the `bulk-cancel` command (electron/cli) into out/cli for plain Node. Runs on `npm install`
// (prepare) so `npx bulk-cancel` works straight after it. Dependencies (native modules, undici) stay external.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const outfile = 'out/cli/bulk-cancel.mjs';
const result = await build({
  entryPoints: ['electron/cli/index.ts'],
  outfile,
  write: false,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'keytar', 'undici', 'read-excel-file'],
  define: { BULK_CANCEL_VERSION: JSON.stringify(version) },
  banner: { js: "import { createRequire as __bcRequire } from 'node:module'; const require = __bcRequire(import.meta.url);" },
  logLevel: 'warning',
});

// Written whole, then renamed into place: a CLI starting meanwhile sees the old file or the new one, never half of one.
const [file] = result.outputFiles;
mkdirSync('out/cli', { recursive: true });
writeFileSync(`${outfile}.tmp`, file.contents);
renameSync(`${outfile}.tmp`, outfile);
