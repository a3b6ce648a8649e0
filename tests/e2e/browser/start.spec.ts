/**
 * Where the app opens: on Import once an account exists, unless the clerk already chose a screen in the
 * navigation while the app was still opening (on a busy machine that takes a moment), which is kept.
 */
import { ELECTIO_DEFAULT_API_KEY } from '../../simulator';
import { expect, test, type App } from './harness';

async function addWarehouse(app: App): Promise<void> {
  const { dispatch } = await import('../../../electron/core/dispatch');
  const reply = await dispatch(app.service.handlers, 'accounts.add', {
    provider: 'electio',
    name: 'Warehouse',
    baseUrl: app.sim.url,
    secret: ELECTIO_DEFAULT_API_KEY,
  });
  if (!reply.ok) throw new Error(reply.error.message);
}

test('with an account and nothing chosen, the app opens on Import', async ({ app, page }) => {
  await addWarehouse(app);
  await app.open(page);
  await expect(page.getByTestId('nav-import')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import shipments to cancel');
});

test('a screen chosen while the app is opening stays chosen, with its content', async ({ app, page }) => {
  await addWarehouse(app);
  // The start-up's list of accounts is held until the clerk has clicked, as a slow keychain would.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let startUpList = true;
  await app.open(page, {
    beforeRequest: async (channel) => {
      if (channel !== 'accounts.list' || !startUpList) return;
      startUpList = false;
      await held;
    },
  });
  await expect(page.getByText('Opening Bulk Cancel…')).toBeVisible();
  await page.getByTestId('nav-accounts').click();
  release();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accounts');
  await expect(page.locator('[data-testid="account-row"][data-account="Warehouse"]')).toBeVisible();
  await expect(page.getByTestId('nav-accounts')).toHaveAttribute('aria-current', 'page');
});
