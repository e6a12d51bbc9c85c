import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

const LABELS = ['Model A', 'Model B', 'Model C'];

describe('blind arena (mock models: no API key)', () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a blind run shows Model A/B/C, the vote names the models, and the leaderboard ranks the winner first', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`arena.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('analytical1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(app.url);

    const ids = await pickModels(page, 3);
    const names: string[] = [];
    for (const id of ids) {
      const row = page.locator('.picker-row').filter({ has: page.locator(`input[data-model-id="${id}"]`) });
      // The name alone (its text node), without the capability badges beside it.
      const name = await row
        .locator('.picker-row-name')
        .first()
        .evaluate((element) =>
          [...element.childNodes]
            .filter((node) => node.nodeType === Node.TEXT_NODE)
            .map((node) => node.textContent ?? '')
            .join('')
            .trim(),
        );
      names.push(name);
    }
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('switch', { name: 'Blind' }).check();
    await sendPrompt(page, 'Which of you explains recursion best?');

    const headings = () => page.locator('article.result-card h3').allTextContents();
    await expect.poll(headings).toEqual(LABELS);
    await waitForAllDone(page, 3);
    // Nothing on the cards names a model before the vote (ids or names).
    const cardText = (await page.locator('article.result-card').allTextContents()).join('\n');
    for (const secret of [...ids, ...names]) expect(cardText).not.toContain(secret);
    expect(await page.getByRole('button', { name: /^Reply to/ }).count()).toBe(0);
    await screenshot(page, 'arena-before-vote');

    await page.getByRole('button', { name: 'Model B is best' }).click();
    await expect.poll(async () => (await headings()).some((text) => LABELS.includes(text))).toBe(false);
    const revealed = await headings();
    expect([...revealed].sort()).toEqual([...names].sort());
    const winner = revealed[1] ?? '';
    expect(await page.locator('.vote-panel').count()).toBe(0);
    await screenshot(page, 'arena-revealed');

    // Reopened, the saved conversation names the models too.
    await page.reload();
    await expect.poll(headings).toEqual(revealed);

    await page.getByRole('link', { name: 'Leaderboard' }).first().click();
    const table = page.locator('section[aria-labelledby="board-mine"] table');
    await table.waitFor();
    const first = table.locator('tbody tr').first();
    expect(await first.getByRole('rowheader').textContent()).toBe(winner);
    expect((await first.getByRole('cell').allTextContents())[0]).toBe('1');
    expect((await first.getByRole('cell').allTextContents())[3]).toBe('1');
    expect(await table.locator('caption').textContent()).toBe('Your votes · 1 vote');
    await screenshot(page, 'arena-leaderboard');
    await context.close();
  });
});
