// Bundles the `bulk-cancel` command (electron/cli) into out/cli for plain Node. Runs on `npm install`
// (prepare) so `npx bulk-cancel` works straight after it. Dependencies (native modules, undici) stay external.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['electron/cli/index.ts'],
  outfile: 'out/cli/bulk-cancel.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'keytar', 'undici', 'read-excel-file'],
  define: { BULK_CANCEL_VERSION: JSON.stringify(version) },
  banner: { js: "import { createRequire as __bcRequire } from 'node:module'; const require = __bcRequire(import.meta.url);" },
  logLevel: 'warning',
});
