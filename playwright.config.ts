/**
 * End-to-end tests. `browser`: the built renderer in real Chromium (Debian's /usr/bin/chromium here,
 * or $CHROMIUM_PATH, else Playwright's own), wired to the real core through `exposeBinding`.
 * `electron`: the packaged main path through Playwright's `_electron`, where the binary exists.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  timeout: 120_000,
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  projects: [
    {
      name: 'browser',
      testDir: 'tests/e2e/browser',
      use: {
        viewport: { width: 1280, height: 860 },
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    { name: 'electron', testDir: 'tests/e2e/electron' },
  ],
});
