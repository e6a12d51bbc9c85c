import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardStatuses, pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp, startFlakyNetwork } from './harness';

/** Each card's answer text to the current (last) turn. */
async function answerTexts(page: Page): Promise<string[]> {
  return page
    .locator('article.result-card')
    .evaluateAll((cards) =>
      cards.map((card) => [...card.querySelectorAll('.answer')].at(-1)?.textContent ?? ''),
    );
}

async function longestAnswer(page: Page): Promise<number> {
  return Math.max(0, ...(await answerTexts(page)).map((text) => text.length));
}

function runInFlight(page: Page): Promise<string | null> {
  return page.evaluate(() => window.sessionStorage.getItem('compareintel.runInFlight'));
}

/** The mock's answer, whole and once: its first line, its list and its closing code line. */
function expectWholeMockAnswer(text: string): void {
  expect(text.match(/\(mock\) — turn 1/g)).toHaveLength(1);
  expect(text.match(/First point about/g)).toHaveLength(1);
  expect(text.match(/const answer = /g)).toHaveLength(1);
}

async function waitUntilStreamed(page: Page, cards: number): Promise<void> {
  await expect
    .poll(() => cardStatuses(page), { timeout: 10_000, interval: 20 })
    .toEqual(Array.from({ length: cards }, () => 'streaming'));
  await expect.poll(() => longestAnswer(page), { timeout: 10_000, interval: 20 }).toBeGreaterThan(40);
}

/**
 * A reload in the middle of a comparison: the run goes on on the server, the page follows it again
 * from its event log, and the cards come back, stream on and finish with each answer whole and once.
 */
describe('a comparison survives a reload', () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    // Slow answers (~5 s each) leave time to reload mid-run.
    app = await startApp({ MOCK_FIRST_TOKEN_MS: '300', MOCK_TOKEN_DELAY_MS: '40' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('for a visitor: the cards come back after a reload, finish whole, and are kept in this browser', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    const estimates: Array<{ method: string; url: string }> = [];
    page.on('request', (request) => {
      if (request.url().includes('compare.estimate'))
        estimates.push({ method: request.method(), url: request.url() });
    });
    await page.goto(app.url);
    await pickModels(page, 2);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.locator('.composer-input').fill('Reload me halfway through.');
    await expect.poll(() => page.getByTestId('estimate').textContent(), { timeout: 5000 }).toMatch(/credit/);
    // The estimate carries the prompt: it goes in a POST body, never in a URL.
    expect(estimates.length).toBeGreaterThan(0);
    for (const estimate of estimates) {
      expect(estimate.method).toBe('POST');
      expect(estimate.url).not.toContain('Reload');
    }
    await page.locator('.composer-input').press('Enter');
    await waitUntilStreamed(page, 2);
    expect(page.url()).toMatch(/\/local\/[\w-]+$/);
    expect(await runInFlight(page)).toContain('"runSecret":"');
    const before = await answerTexts(page);

    await page.reload();
    // Rebuilt from the log: the prompt as the current turn and the text so far, still streaming.
    await expect.poll(() => page.locator('article.result-card').count()).toBe(2);
    for (const card of await page.locator('article.result-card').all()) {
      expect(await card.locator('.bubble-user').allTextContents()).toEqual(['Reload me halfway through.']);
    }
    await expect
      .poll(() => cardStatuses(page), { timeout: 5000, interval: 20 })
      .toEqual(['streaming', 'streaming']);
    const after = await answerTexts(page);
    for (const [index, text] of after.entries())
      expect(text.length).toBeGreaterThanOrEqual(before[index]?.length ?? 0);
    await screenshot(page, 'desktop-reattached');

    await waitForAllDone(page, 2);
    for (const text of await answerTexts(page)) expectWholeMockAnswer(text);
    expect(await runInFlight(page)).toBeNull();
    const finished = await answerTexts(page);

    // Kept in this browser as it was shown; a reload now only reads it back.
    await page.reload();
    await expect.poll(() => cardStatuses(page)).toEqual(['done', 'done']);
    // (The markdown renderer loads lazily: until it has, the answer shows as plain text.)
    await expect.poll(() => answerTexts(page)).toEqual(finished);
    expect(await page.locator('article.result-card').first().locator('.bubble-user').count()).toBe(1);
    await page.close();
  });

  it('for a visitor: Stop works on a run followed again after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    await page.goto(app.url);
    await pickModels(page, 2);
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'Stop one of us after the reload.');
    await waitUntilStreamed(page, 2);
    await page.reload();
    await expect
      .poll(() => cardStatuses(page), { timeout: 5000, interval: 20 })
      .toEqual(['streaming', 'streaming']);
    const second = page.locator('article.result-card').nth(1);
    await second.getByRole('button', { name: /^Stop / }).click();
    await expect
      .poll(() => cardStatuses(page), { timeout: 15_000, interval: 50 })
      .toEqual(['done', 'stopped']);
    expect(await second.locator('.answer-note').textContent()).toBe('Stopped before the end.');
    expect(await page.getByTestId('card-notice').count()).toBe(0);
    await page.close();
  });

  it('for a signed-in user: the reloaded run finishes in its saved conversation, the turn shown once', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`resume.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('analytical1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(app.url);
    await pickModels(page, 2);
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'Save me even through a reload.');
    await waitUntilStreamed(page, 2);
    await expect.poll(() => page.url()).toMatch(/\/c\/\d+$/);
    const conversationUrl = page.url();
    expect(await runInFlight(page)).toContain('"runSecret":null');

    await page.reload();
    await expect
      .poll(() => cardStatuses(page), { timeout: 5000, interval: 20 })
      .toEqual(['streaming', 'streaming']);
    await waitForAllDone(page, 2);
    expect(page.url()).toBe(conversationUrl);
    const finished = await answerTexts(page);
    for (const text of finished) expectWholeMockAnswer(text);
    for (const card of await page.locator('article.result-card').all()) {
      expect(await card.locator('.bubble-user').allTextContents()).toEqual([
        'Save me even through a reload.',
      ]);
    }
    expect(await runInFlight(page)).toBeNull();

    // What the API saved is what was shown: one turn, the same answers.
    await page.reload();
    await expect.poll(() => cardStatuses(page)).toEqual(['done', 'done']);
    // (The markdown renderer loads lazily: until it has, the answer shows as plain text.)
    await expect.poll(() => answerTexts(page)).toEqual(finished);
    expect(await page.locator('article.result-card').first().locator('.bubble-user').count()).toBe(1);
    await context.close();
  });
  it('for a visitor: a dropped connection shows Reconnecting…, then the answers go on, whole and once', async () => {
    const network = await startFlakyNetwork(app.url);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    try {
      await page.goto(network.url);
      await pickModels(page, 2);
      await page.getByRole('button', { name: 'Done' }).click();
      await sendPrompt(page, 'Lose the connection for a moment.');
      await waitUntilStreamed(page, 2);
      network.cut(1500);
      await expect
        .poll(() => page.getByTestId('run-status').textContent(), { timeout: 5000, interval: 20 })
        .toContain('Reconnecting…');
      expect(await page.locator('article.result-card [data-testid=card-status]').allTextContents()).toEqual([
        'Reconnecting',
        'Reconnecting',
      ]);
      await screenshot(page, 'desktop-reconnecting');
      await waitForAllDone(page, 2);
      for (const text of await answerTexts(page)) expectWholeMockAnswer(text);
      expect(await page.getByTestId('run-status').count()).toBe(0);
    } finally {
      await page.close();
      await network.close();
    }
  });
});
