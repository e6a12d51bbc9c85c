import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDb } from '@compareintel/db';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedLink, pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every card's box in page order, straight from the layout (cards scrolled out of the row included). */
function cardBoxes(page: Page): Promise<Box[]> {
  return page.locator('article.result-card').evaluateAll((cards) =>
    cards.map((card) => {
      const { x, y, width, height } = card.getBoundingClientRect();
      return { x, y, width, height };
    }),
  );
}

/**
 * The answer columns' layout in a real browser: twelve columns in one sideways row that the composer
 * never covers, turns level across columns, maximise / collapse / hide, and on a phone a reachable
 * Sign in, a closed picker that gives focus back, and code that scrolls inside its column.
 */
describe('the answer columns', () => {
  let app: RunningApp;
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'ci-e2e-layout-'));
  const databaseFile = path.join(dir, 'layout.db');
  const account = { email: `cols.${Date.now().toString(36)}@example.com`, password: 'columns12' };

  /**
   * A Pro+ account (12 models at once): registered and verified as anyone is, then moved to the tier in
   * the database as a paid subscription would (inside a test: mailedLink polls with expect).
   */
  async function makeProPlusAccount() {
    const response = await fetch(`${app.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    expect(response.status).toBe(200);
    const link = new URL(await mailedLink(app.url, account.email, '/verify-email?token='));
    const verified = await fetch(`${app.url}/trpc/auth.verifyEmail`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: link.searchParams.get('token') }),
    });
    expect(verified.status).toBe(200);
    const db = await connectDb(`sqlite:${databaseFile}`);
    await db
      .knex('users')
      .where({ email: account.email })
      .update({ subscription_tier: 'pro_plus', monthly_credits_allocated: 0 });
    await db.destroy();
  }

  beforeAll(async () => {
    app = await startApp({
      DATABASE_URL: `sqlite:${databaseFile}`,
      MOCK_FIRST_TOKEN_MS: '30',
      MOCK_TOKEN_DELAY_MS: '2',
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('12 columns scroll sideways in one row, and the composer covers no card', async () => {
    await makeProPlusAccount();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/signin`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-menu').waitFor();
    await expect.poll(() => page.getByTestId('picker-counter').textContent()).toBe('0 / 12');
    await pickModels(page, 12);
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'Explain recursion with an example.');
    await waitForAllDone(page, 12);
    await sendPrompt(page, 'And a second turn, please.');
    await expect.poll(() => page.locator('article.result-card .turn').count()).toBe(24);
    await waitForAllDone(page, 12);

    // Once the run has ended no turn keeps the height reserved while it streamed.
    await expect.poll(() => page.locator('.turn[data-reserved]').count()).toBe(0);

    // One row: the same top, left to right, and the row (not the page) scrolls sideways.
    const boxes = await cardBoxes(page);
    expect(boxes).toHaveLength(12);
    for (const [index, box] of boxes.entries()) {
      expect(Math.abs(box.y - (boxes[0]?.y ?? 0))).toBeLessThan(1);
      if (index > 0) expect(box.x).toBeGreaterThan((boxes[index - 1]?.x ?? 0) + 300);
    }
    const row = page.locator('.result-grid');
    expect(await row.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // No column scrolls on its own: its thread is as tall as its content.
    expect(
      await page
        .locator('article.result-card .card-body')
        .first()
        .evaluate((body) => body.scrollHeight <= body.clientHeight + 1),
    ).toBe(true);

    // Turns level across columns: the second turn starts at the same height in every column, also
    // when one column's first answer is much longer (here made 300 px taller in place).
    const secondTurnTops = () =>
      page
        .locator('article.result-card')
        .evaluateAll((cards) =>
          cards.map((card) => card.querySelectorAll('.turn')[1]?.getBoundingClientRect().top ?? -1),
        );
    const level = (tops: number[]) => tops.every((top) => Math.abs(top - (tops[0] ?? 0)) < 1);
    expect(level(await secondTurnTops())).toBe(true);
    const before = (await secondTurnTops())[0] ?? 0;
    await page
      .locator('article.result-card')
      .nth(1)
      .locator('.turn[data-turn="0"] .answer')
      .evaluate((answer) => {
        const filler = document.createElement('div');
        filler.style.height = '300px';
        answer.append(filler);
      });
    await expect.poll(async () => level(await secondTurnTops())).toBe(true);
    expect(((await secondTurnTops())[0] ?? 0) - before).toBeGreaterThan(290);

    // Scrolled to the bottom, the sticky composer overlaps no card.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(100);
    const dock = await page.locator('.followup-dock').boundingBox();
    expect(dock).not.toBeNull();
    if (!dock) return;
    for (const box of await cardBoxes(page)) expect(intersects(box, dock)).toBe(false);
    await screenshot(page, 'layout-12-columns');

    // "Columns: 2" shares the row's width between two columns, and is remembered.
    await page.evaluate(() => window.scrollTo(0, 0));
    const columnsOption = (label: string) => page.locator('label.columns-option', { hasText: label });
    await columnsOption('2').click();
    const two = await cardBoxes(page);
    const rowWidth = await row.evaluate((element) => element.clientWidth);
    expect(Math.abs((two[0]?.width ?? 0) - (rowWidth - 4 - 14) / 2)).toBeLessThan(4);
    await page.reload();
    await page.locator('article.result-card').first().waitFor();
    expect(await page.getByRole('radio', { name: '2 columns' }).isChecked()).toBe(true);
    await columnsOption('Auto').click();

    // Maximise one column: it alone fills the row; Escape restores, with focus on its button.
    const third = page.locator('article.result-card').nth(2);
    const thirdName = (await third.getAttribute('aria-label')) ?? '';
    await third.getByTestId('card-maximise').click();
    await expect.poll(() => page.locator('article.result-card:visible').count()).toBe(1);
    expect((await third.boundingBox())?.width).toBeGreaterThan(rowWidth - 20);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('article.result-card:visible').count()).toBe(12);
    expect(
      await page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('aria-label')),
    ).toBe(thirdName);

    // Collapse to a strip and open again; hide from view and bring back.
    await third.getByTestId('card-collapse').click();
    const strip = page.getByRole('button', { name: `Expand ${thirdName}` });
    expect((await strip.boundingBox())?.width).toBeLessThan(60);
    await strip.click();
    await page.locator('article.result-card').nth(2).getByTestId('card-hide').click();
    await expect.poll(() => page.locator('article.result-card').count()).toBe(11);
    await page.getByTestId('show-hidden').click();
    await expect.poll(() => page.locator('article.result-card').count()).toBe(12);

    // Sync scroll off: every column a fixed height that scrolls on its own, ending above the dock.
    await page.getByRole('checkbox', { name: 'Sync scroll' }).uncheck();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(100);
    const own = await cardBoxes(page);
    for (const box of own) expect(Math.abs(box.height - (own[0]?.height ?? 0))).toBeLessThan(1);
    const dockAfter = await page.locator('.followup-dock').boundingBox();
    if (dockAfter) for (const box of own) expect(intersects(box, dockAfter)).toBe(false);
    await page.getByRole('checkbox', { name: 'Sync scroll' }).check();
    await page.close();
  });

  it('on a phone: Sign in is reachable, the picker stays out of the way, code scrolls in its column', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(app.url);
    const header = page.locator('.app-header');
    for (const name of ['Sign in', 'Sign up']) {
      const link = header.getByRole('link', { name });
      const box = await link.boundingBox();
      expect(box, name).not.toBeNull();
      if (box) expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'layout-phone-home');
    // The drawer has Pricing (no room in the header) and the sign-in links again.
    await page.getByRole('button', { name: 'Open history' }).click();
    const drawer = page.locator('#sidebar');
    await drawer.getByRole('link', { name: 'Pricing' }).waitFor();
    expect(await drawer.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    await page.locator('.sidebar-toggle').click();

    // Escape closes the picker and gives focus back to its toggle.
    const toggle = page.locator('.picker-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await page.getByLabel('Search models').focus();
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('picker-toggle'))).toBe(true);

    await pickModels(page, 2);
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'Show some code on a phone.');
    await waitForAllDone(page, 2);
    // The long code line scrolls inside its column; the page never gets wider than the screen.
    const pre = page.locator('article.result-card pre').first();
    expect(await pre.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    const card = await page.locator('article.result-card').first().boundingBox();
    const preBox = await pre.boundingBox();
    if (card && preBox) expect(preBox.x + preBox.width).toBeLessThanOrEqual(card.x + card.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'layout-phone-results');

    // Back home with remembered models: the picker is closed and the prompt box is above the fold.
    await page.goto(app.url);
    await page.locator('.composer-input').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    const input = await page.locator('.composer-input').boundingBox();
    expect(input).not.toBeNull();
    if (input) expect(input.y + input.height).toBeLessThanOrEqual(844);
    await context.close();
  });
});
