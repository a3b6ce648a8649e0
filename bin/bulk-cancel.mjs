#!/usr/bin/env node
// The `bulk-cancel` command. The code is built into out/cli by `npm install` (prepare) or `npm run build`.
import { existsSync } from 'node:fs';

const built = new URL('../out/cli/bulk-cancel.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('bulk-cancel is not built yet: run "npm install" (or "npm run build") in the project first.\n');
  process.exit(1);
}
await import(built.href);
