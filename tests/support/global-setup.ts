/**
 * Builds the CLI once before any test file runs. Test files run in parallel: rebuilding it in each
 * file's setup let one file's CLI start while another file was rewriting it (a half-written module
 * that did nothing and exited 0).
 */
import { spawnSync } from 'node:child_process';

export default function buildCli(): void {
  const result = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node scripts/build-cli.mjs failed:\n${result.stderr}`);
}
