import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedLink, pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

const FIRST = 'First visit: name a prime number.';
const SECOND = 'Second visit: name a colour.';

/**
 * Nothing disappears without a word (issue 15): a visitor's comparisons move into the account made in
 * the same browser, and at the saved-conversation limit the user is told what a new comparison would
 * delete, and can pin it instead.
 */
describe("a visitor's conversations and the saved-conversation limit", () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  const email = `grace.${Date.now()}@example.com`;
  const answers = new Map<string, string>();

  beforeAll(async () => {
    app = await startApp({ MOCK_FIRST_TOKEN_MS: '30', MOCK_TOKEN_DELAY_MS: '1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const history = () => page.getByTestId('history-item');
  const historyTitles = () => history().locator('.history-title-text').allTextContents();

  /** A comparison from "/"; answers how many models it runs (the remembered choice may add one). */
  async function newComparison(prompt: string): Promise<number> {
    await page.goto(app.url);
    await pickModels(page, 1);
    const models = await page.locator('.picker-row input[type=checkbox]:checked').count();
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, prompt);
    return models;
  }

  it('sign-up imports the visitor’s conversations, with their answers', async () => {
    for (const prompt of [FIRST, SECOND]) {
      await waitForAllDone(page, await newComparison(prompt));
      await expect.poll(() => page.url()).toMatch(/\/local\/[\w-]+$/);
      answers.set(prompt, (await page.locator('article.result-card .answer').first().textContent()) ?? '');
    }
    expect(answers.get(FIRST)).toContain('(mock)');
    await expect.poll(() => history().count()).toBe(2);
    expect(await page.getByTestId('history-count').textContent()).toBe('2 of 2 saved');
    // A third would push the oldest out of this browser: the visitor is told, and cancels.
    await newComparison('Third visit: never mind.');
    const warning = page.getByTestId('eviction-dialog');
    await warning.waitFor();
    expect(await warning.getByTestId('eviction-title').textContent()).toBe(`“${FIRST}”`);
    await warning.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.locator('article.result-card').count()).toBe(0);
    expect(await page.locator('.composer-input').inputValue()).toBe('Third visit: never mind.');
    expect(await history().count()).toBe(2);

    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('compiler42');
    await page.getByRole('button', { name: 'Create account' }).click();
    const offer = page.getByTestId('import-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain(
      'Import your 2 comparisons from this browser into your account?',
    );
    await screenshot(page, 'desktop-import-offer');
    // Not now: they stay in this browser, and the history says so instead of a bare "0 of 2".
    await offer.getByRole('button', { name: 'Not now' }).click();
    const localLeft = page.getByTestId('history-local-left');
    await localLeft.waitFor();
    expect(await localLeft.textContent()).toContain(
      '2 comparisons from before you signed in are only in this browser.',
    );
    await page.reload();
    await localLeft.waitFor();
    expect(await offer.count()).toBe(0);
    await screenshot(page, 'desktop-import-later');
    await localLeft.getByRole('button', { name: 'Import them' }).click();
    await offer.getByRole('button', { name: 'Import' }).click();

    await expect
      .poll(() => page.getByTestId('import-result').textContent())
      .toContain('2 comparisons from this browser are now in your account.');
    await expect.poll(() => history().count()).toBe(2);
    expect((await historyTitles()).sort()).toEqual([FIRST, SECOND].sort());
    expect(await page.getByTestId('history-count').textContent()).toBe('2 of 2 saved');
    // Now saved by the API: the links open /c/<id>, with the answers the visitor got.
    await history().filter({ hasText: FIRST }).locator('a').click();
    await expect.poll(() => page.url()).toMatch(/\/c\/\d+$/);
    await expect
      .poll(() => page.locator('article.result-card .answer').first().textContent())
      .toBe(answers.get(FIRST));
    expect(await page.locator('article.result-card').first().getAttribute('data-status')).toBe('done');
    expect(await page.locator('article.result-card .bubble-user').allTextContents()).toEqual([FIRST]);
    // Imported, they left this browser: nothing is offered again.
    await page.reload();
    await expect.poll(() => history().count()).toBe(2);
    expect(await page.getByTestId('import-offer').count()).toBe(0);
    expect(await page.getByTestId('history-local-left').count()).toBe(0);
  });

  it('eviction warning and pin: a new comparison names what it would delete, and a pin keeps it', async () => {
    // Verified, the account is on Free: 3 saved conversations.
    await page.goto(await mailedLink(app.url, email, '/verify-email?token='));
    await page.getByTestId('verified').waitFor();
    await waitForAllDone(page, await newComparison('Third: name a fruit.'));
    await expect.poll(() => history().count()).toBe(3);
    expect(await page.getByTestId('history-count').textContent()).toBe('3 of 3 saved');

    // A fourth would delete the least recently used one: the user is asked first.
    const models = await newComparison('Fourth: name a tree.');
    const dialog = page.getByTestId('eviction-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('eviction-title').textContent()).toBe(`“${FIRST}”`);
    await screenshot(page, 'desktop-eviction-warning');
    expect(await page.locator('article.result-card').count()).toBe(0);

    // Pinned, it stays; the next least recently used one is proposed instead.
    await dialog.getByRole('button', { name: 'Pin it' }).click();
    await expect.poll(() => dialog.getByTestId('eviction-title').textContent()).toBe(`“${SECOND}”`);
    await dialog.getByRole('button', { name: 'Delete it and continue' }).click();
    await waitForAllDone(page, models);

    await expect
      .poll(async () => (await historyTitles()).sort())
      .toEqual([FIRST, 'Fourth: name a tree.', 'Third: name a fruit.'].sort());
    // Pinned first, and marked.
    const pinned = history().first();
    expect(await pinned.locator('.history-title-text').textContent()).toBe(FIRST);
    expect(await pinned.getByRole('img', { name: 'Pinned' }).count()).toBe(1);
    await screenshot(page, 'desktop-pinned-history');
  });

  it('sign-in offers them too; what does not fit under the limit stays in this browser', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await waitForAllDone(page, await newComparison('Fifth, as a visitor again.'));
    await expect.poll(() => history().count()).toBe(1);

    await page.goto(`${app.url}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('compiler42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const offer = page.getByTestId('import-offer');
    await offer.waitFor();
    expect(await offer.textContent()).toContain(
      'Import your 1 comparison from this browser into your account?',
    );
    await offer.getByRole('button', { name: 'Import' }).click();
    // The account is full (3 of 3, nothing evicted to make room): it stays here, and the user is told.
    await expect
      .poll(() => page.getByTestId('import-result').textContent())
      .toContain('1 comparison did not fit: your plan keeps 3 saved conversations. It stays in this browser');
    expect(await page.getByTestId('history-count').textContent()).toBe('3 of 3 saved');
    expect((await historyTitles()).sort()).toEqual(
      [FIRST, 'Fourth: name a tree.', 'Third: name a fruit.'].sort(),
    );
    expect(await page.getByTestId('history-local-left').textContent()).toContain(
      '1 comparison from before you signed in is only in this browser.',
    );
  });
});
