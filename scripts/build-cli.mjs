// Bundles the `bulk-cancel` command (electron/cli) into out/cli for plain Node. Runs on `npm install`
// (prepare) so `npx bulk-cancel` works straight after it. Dependencies (native modules, undici) stay external.
// Each command's code is a chunk of its own, loaded when the command runs (see COMMANDS in cli/main.ts):
// a start-up compiles and runs only what its command needs.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const outdir = 'out/cli';
const entry = join(outdir, 'bulk-cancel.mjs');
const result = await build({
  entryPoints: { 'bulk-cancel': 'electron/cli/index.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  write: false,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'keytar', 'undici', 'read-excel-file'],
  define: { BULK_CANCEL_VERSION: JSON.stringify(version) },
  banner: { js: "import { createRequire as __bcRequire } from 'node:module'; const require = __bcRequire(import.meta.url);" },
  logLevel: 'warning',
});

// Chunks are named by their content, so a new build never changes a chunk a running command may still load;
// the entry is written whole, then renamed into place, last: a CLI starting meanwhile sees the old build or
// the new one, never half of one.
const written = new Set();
mkdirSync(join(outdir, 'chunks'), { recursive: true });
for (const file of result.outputFiles) {
  written.add(file.path);
  if (file.path.endsWith(basename(entry)) && !file.path.includes('/chunks/')) continue;
  writeFileSync(file.path, file.contents);
}
const main = result.outputFiles.find((file) => file.path.endsWith(`/${outdir}/bulk-cancel.mjs`));
writeFileSync(`${entry}.tmp`, main.contents);
renameSync(`${entry}.tmp`, entry);

// Chunks of earlier builds go once no command started before this build can still be running.
const chunks = join(outdir, 'chunks');
for (const name of readdirSync(chunks)) {
  const path = join(chunks, name);
  if (![...written].some((file) => file.endsWith(`/chunks/${name}`)) && Date.now() - statSync(path).mtimeMs > 24 * 3600_000)
    rmSync(path);
}
