import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditsLeft, mailedLink, pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

/**
 * One person's whole journey, in order: sign up, verify from the mailed link, compare, follow up,
 * continue with one model, manage the history, keep a theme, watch the credits, sign out.
 */
describe('a registered user', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const email = `ada.${Date.now()}@example.com`;
  const password = 'analytical1';

  beforeAll(async () => {
    app = await startApp({ MOCK_FIRST_TOKEN_MS: '50', MOCK_TOKEN_DELAY_MS: '2' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('signs up, is signed in at once, and verifies from the mailed link', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('.field-error').textContent()).toContain(
      'Password must be at least 8 characters',
    );
    await page.getByLabel('Password').fill(password);
    await screenshot(page, 'desktop-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('verify-banner').waitFor();
    expect(await page.getByTestId('user-menu').textContent()).toContain('Unverified');
    // The visitor's theme (System: nothing chosen) is the account's too: signing in does not flip it.
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('compareintel.theme') ?? 'system'))
      .toBe('system');

    const link = await mailedLink(app.url, email, '/verify-email?token=');
    await page.goto(link);
    await page.getByTestId('verified').waitFor();
    await screenshot(page, 'desktop-verified');
    await page.getByRole('link', { name: 'Start comparing' }).click();
    await expect.poll(() => page.getByTestId('user-menu').textContent()).toContain('Free');
    expect(await page.getByTestId('verify-banner').count()).toBe(0);
  });

  it('compares, follows up in each thread, and the credits meter drops', async () => {
    const before = await creditsLeft(page);
    expect(before).toBe(100);
    await pickModels(page, 2);
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'Name one benefit of static types.');
    await waitForAllDone(page, 2);
    await expect.poll(() => page.url()).toMatch(/\/c\/\d+$/);
    await expect.poll(() => creditsLeft(page)).toBeLessThan(before);
    const afterFirst = await creditsLeft(page);

    await sendPrompt(page, 'And one drawback?');
    await waitForAllDone(page, 2);
    for (const card of await page.locator('article.result-card').all()) {
      expect(await card.locator('.bubble-user').allTextContents()).toEqual([
        'Name one benefit of static types.',
        'And one drawback?',
      ]);
      expect(await card.locator('.answer').last().textContent()).toContain('turn 2');
    }
    await expect.poll(() => creditsLeft(page)).toBeLessThan(afterFirst);
    await screenshot(page, 'desktop-follow-up');
  });

  it('continues with one model, and the history shows both conversations', async () => {
    const parentUrl = page.url();
    const first = page.locator('article.result-card').first();
    const name = (await first.locator('h3').textContent()) ?? '';
    await first.getByRole('button', { name: 'Continue with this model' }).click();
    await expect.poll(() => page.url()).not.toBe(parentUrl);
    expect(page.url()).toMatch(/\/c\/\d+$/);
    await expect.poll(() => page.locator('article.result-card').count()).toBe(1);
    expect(await page.locator('.conversation-sub').textContent()).toContain(`Continued with ${name}`);

    await sendPrompt(page, 'Just you now: give an example.');
    await waitForAllDone(page, 1);
    expect(await page.locator('article.result-card .bubble-user').count()).toBe(3);

    await expect.poll(() => page.getByTestId('history-item').count()).toBe(2);
    expect(await page.getByTestId('history-count').textContent()).toBe('2 of 3 saved');
    await screenshot(page, 'desktop-breakout');
  });

  it('renames and deletes from the history', async () => {
    const items = page.getByTestId('history-item');
    const original = items.nth(1);
    await original.hover();
    await original.getByRole('button', { name: /^Rename/ }).click();
    const title = page.getByLabel('Conversation title');
    await title.fill('Static types, both sides');
    await title.press('Enter');
    // Renaming may move the conversation to the top (most recently changed first): find it by its title.
    const renamed = items.filter({ hasText: 'Static types, both sides' });
    await expect.poll(() => renamed.count()).toBe(1);
    await renamed.locator('a').click();
    await expect
      .poll(() => page.locator('.conversation-title').textContent())
      .toBe('Static types, both sides');
    await screenshot(page, 'desktop-renamed');

    const other = items.filter({ hasNotText: 'Static types, both sides' });
    await other.hover();
    await other.getByRole('button', { name: /^Delete/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => items.count()).toBe(1);
    expect(await page.getByTestId('history-count').textContent()).toBe('1 of 3 saved');
  });

  it('keeps the theme in the account and after a reload', async () => {
    await page.goto(`${app.url}/settings`);
    const saved = page.waitForResponse((response) => response.url().includes('preferences.update'));
    await page.locator('label.segment', { hasText: 'Dark' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await saved;
    await page.reload();
    await page.getByRole('radio', { name: 'Dark' }).waitFor({ state: 'attached' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    await screenshot(page, 'desktop-settings-dark');
    await page.getByTestId('history-item').first().locator('a').click();
    await page.locator('article.result-card .katex').first().waitFor();
    await screenshot(page, 'desktop-conversation-dark');

    await page.goto(`${app.url}/settings/usage`);
    // Three comparisons, and the ledger's allocations: the first pool at sign-up and the lift on verifying.
    await expect.poll(() => page.getByTestId('usage-table').locator('tbody tr').count()).toBe(5);
    await screenshot(page, 'desktop-usage-dark');
  });

  it('signs out', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(await page.getByTestId('user-menu').count()).toBe(0);
    await expect.poll(() => page.url()).toBe(`${app.url}/`);
    await expect.poll(() => page.getByTestId('history-count').textContent()).toBe('0 of 2 saved');
    await screenshot(page, 'desktop-signed-out');
  });
});
