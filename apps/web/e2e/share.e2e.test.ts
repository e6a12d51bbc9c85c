import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

const PROMPT = 'Share test: name two <b>sorting</b> algorithms.';

/**
 * Issue 17: a signed-in user shares a comparison; anyone opens the link without an account and sees
 * the prompt and every model's answer in columns; revoking the link makes it a dead link at once.
 */
describe('sharing a comparison', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ MOCK_FIRST_TOKEN_MS: '30', MOCK_TOKEN_DELAY_MS: '1' });
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shares, opens in a fresh browser without an account, exports, and revokes', async () => {
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`share.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('compiler42');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(app.url);
    await pickModels(page, 2);
    const models = await page.locator('.picker-row input[type=checkbox]:checked').count();
    expect(models).toBeGreaterThanOrEqual(2);
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, PROMPT);
    await waitForAllDone(page, models);
    await expect.poll(() => page.url()).toMatch(/\/c\/\d+$/);
    const answers = await page.locator('article.result-card .answer').allTextContents();

    // Share: create a link that never expires, copy it.
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByTestId('share-dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const address = dialog.getByLabel('Shared link');
    await address.waitFor();
    const link = await address.inputValue();
    expect(link).toMatch(new RegExp(`^${app.url}/s/[A-Za-z0-9_-]{43}$`));
    await dialog.getByRole('button', { name: 'Copy link' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await screenshot(page, 'share-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A fresh browser context: no cookies, no account.
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    expect(await visitorContext.cookies()).toEqual([]);
    const visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(10_000);
    await visitor.goto(link);
    await visitor.getByTestId('shared-page').waitFor();
    expect(await visitor.getByTestId('shared-prompt').allTextContents()).toEqual([PROMPT]);
    const cards = visitor.getByTestId('shared-answer');
    expect(await cards.count()).toBe(models);
    // The same answers, rendered the same way (once the markdown chunk has loaded).
    await expect.poll(() => cards.locator('.answer').allTextContents()).toEqual(answers);
    const shown = await cards.locator('.answer').allTextContents();
    for (const text of shown) expect(text).toContain('(mock)');
    // Side by side: one row of columns.
    const tops = await cards.evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().top));
    const lefts = await cards.evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().left));
    expect(new Set(tops).size).toBe(1);
    expect(new Set(lefts).size).toBe(models);
    expect(await visitor.getByText('Shared comparison').count()).toBeGreaterThan(0);
    expect(await visitor.locator('.composer-input').count()).toBe(0);
    // Head: the conversation's title, and OpenGraph tags for link previews (escaped).
    expect(await visitor.title()).toMatch(/ — CompareIntel shared comparison$/);
    const ogTitle = await visitor.locator('meta[property="og:title"]').getAttribute('content');
    expect(ogTitle).toMatch(/ — CompareIntel shared comparison$/);
    expect(await visitor.locator('meta[property="og:description"]').getAttribute('content')).toContain(
      'Share test: name two <b>sorting</b> algorithms.',
    );
    expect(await visitor.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
    const raw = await (await fetch(link)).text();
    expect(raw).toContain('&lt;b&gt;sorting&lt;/b&gt;');
    expect(raw).not.toContain('<b>sorting</b>');
    await screenshot(visitor, 'shared-page');

    // Export: one click downloads the JSON document.
    await page.getByTestId('export-menu').locator('summary').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'JSON (.json)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^compareintel-.+\.json$/);
    const doc: unknown = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(doc).toMatchObject({ format: 'compareintel.conversation', version: 1 });

    // Revoke: the visitor's reload finds a dead link.
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByTestId('share-none').waitFor();
    await visitor.reload();
    await visitor.getByTestId('shared-not-found').waitFor();
    expect(await visitor.getByTestId('shared-answer').count()).toBe(0);
    expect((await fetch(link)).status).toBe(404);
    await screenshot(visitor, 'shared-link-dead');
    await visitorContext.close();
  });
});
