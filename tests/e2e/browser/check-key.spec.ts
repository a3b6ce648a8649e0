/**
 * "Check key" on the Accounts screen, against the carrier simulator: a good key is accepted by its
 * provider, a wrong one is refused with the way to fix it; both from the keyboard.
 */
import { join } from 'node:path';
import { ELECTIO_DEFAULT_API_KEY } from '../../simulator';
import { SCREENSHOT_DIR, expect, test } from './harness';

test('check key: one good key accepted, one wrong key refused with the way to fix it', async ({ app, page }) => {
  const call = async (channel: string, payload: unknown) => {
    const { dispatch } = await import('../../../electron/core/dispatch');
    const reply = await dispatch(app.service.handlers, channel, payload);
    if (!reply.ok) throw new Error(reply.error.message);
  };
  await call('accounts.add', {
    provider: 'electio',
    name: 'Good Electio',
    baseUrl: app.sim.url,
    secret: ELECTIO_DEFAULT_API_KEY,
  });
  await call('accounts.add', { provider: 'electio', name: 'Wrong Electio', baseUrl: app.sim.url, secret: 'not-the-key' });

  await app.open(page);
  await page.getByTestId('nav-accounts').click();
  const good = page.locator('[data-testid="account-row"][data-account="Good Electio"]');
  const wrong = page.locator('[data-testid="account-row"][data-account="Wrong Electio"]');

  await good.getByRole('button', { name: 'Check the key of Good Electio' }).focus();
  await page.keyboard.press('Enter');
  await expect(good.getByTestId('account-check-result')).toHaveText('Key accepted by Electio.');

  await wrong.getByRole('button', { name: 'Check the key of Wrong Electio' }).focus();
  await page.keyboard.press('Space');
  const refused = wrong.getByTestId('account-check-result');
  await expect(refused).toContainText('Save the right key');
  await expect(refused).not.toContainText('accepted');
  await expect(good.getByTestId('account-check-result')).toHaveText('Key accepted by Electio.');
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'accounts-check-key.png'), fullPage: true });

  // Checking sends only reads: nothing was cancelled.
  expect(app.sim.requests.every((request) => request.method === 'GET')).toBe(true);

  // The way to fix it opens the account's form.
  await refused.getByRole('button', { name: 'Save the right key' }).press('Enter');
  await expect(page.getByTestId('account-name')).toHaveValue('Wrong Electio');
});
