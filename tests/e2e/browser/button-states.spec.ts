/**
 * Every kind of button the app draws, at rest, under the pointer and focused from the keyboard, in the
 * light and the dark theme, with the app's own stylesheet: its text must stay readable in each state
 * (WCAG contrast 4.5:1 against what is behind it) and its keyboard focus must show. Photographed too.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOT_DIR, expect, test } from './harness';

/** The button kinds of the renderer, by their classes. */
const KINDS = [
  'button',
  'button primary',
  'button danger',
  'button subtle-danger',
  'button small-button',
  'button small-button primary',
  'button danger small-button',
  'button small-button subtle-danger',
  'nav-link',
  'nav-link active',
  'sort-button',
];

/** Text colour against the nearest background under the button, as a WCAG contrast ratio. */
async function contrastOf(page: Page, index: number): Promise<number> {
  return page.evaluate((at) => {
    const button = document.querySelectorAll<HTMLElement>('#button-kinds button')[at];
    if (!button) throw new Error(`no button ${at}`);
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const [lr, lg, lb] = [r, g, b].map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * (lr ?? 0) + 0.7152 * (lg ?? 0) + 0.0722 * (lb ?? 0);
    };
    let element: HTMLElement | null = button;
    let background = [0, 0, 0, 0];
    while (element && (background[3] ?? 1) === 0) {
      background = rgb(getComputedStyle(element).backgroundColor);
      if (background.length === 3) background.push(1);
      element = element.parentElement;
    }
    const [fore, back] = [luminance(rgb(getComputedStyle(button).color)), luminance(background)];
    return (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
  }, index);
}

test('every button kind stays readable under the pointer and shows keyboard focus, light and dark', async ({ app, page }) => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 720 });
  await app.open(page);
  await expect(page.getByTestId('nav-import')).toBeVisible();
  await page.evaluate((kinds) => {
    const panel = document.createElement('div');
    panel.id = 'button-kinds';
    panel.className = 'panel';
    panel.style.cssText = 'position:fixed;inset:60px 20px auto;z-index:10;display:flex;flex-wrap:wrap;gap:12px';
    for (const kind of kinds) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = kind;
      button.textContent = kind;
      button.style.height = '40px';
      panel.append(button);
    }
    document.body.append(panel);
  }, KINDS);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [index, kind] of KINDS.entries()) {
      const button = page.locator('#button-kinds button').nth(index);
      await button.hover();
      expect(await contrastOf(page, index), `${kind} under the pointer (${scheme})`).toBeGreaterThanOrEqual(4.5);
      if (index === 1)
        await page.locator('#button-kinds').screenshot({ path: join(SCREENSHOT_DIR, `buttons-hover-${scheme}.png`) });
      await page.mouse.move(0, 700);
      await button.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await expect(button).toBeFocused();
      expect(await contrastOf(page, index), `${kind} focused (${scheme})`).toBeGreaterThanOrEqual(4.5);
      const outline = await button.evaluate((element) => {
        const style = getComputedStyle(element);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      expect(outline.style, `${kind} focus outline (${scheme})`).not.toBe('none');
      expect(outline.width).toBeGreaterThanOrEqual(2);
    }
    await page.locator('#button-kinds button').nth(2).focus();
    await page.locator('#button-kinds').screenshot({ path: join(SCREENSHOT_DIR, `buttons-focus-${scheme}.png`) });
  }
});
