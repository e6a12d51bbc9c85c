import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardStatuses, counterText, pickModels, sendPrompt, waitForAllDone } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

describe('a visitor without an account', () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    // Slow enough to watch the three cards stream at the same time.
    app = await startApp({ MOCK_FIRST_TOKEN_MS: '50', MOCK_TOKEN_DELAY_MS: '12' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('compares three models streaming side by side; the picker refuses a fourth', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    await page.goto(app.url);
    await expect.poll(() => counterText(page)).toBe('0 / 3');
    // The visitor's daily pool is in the header before they type anything.
    await expect.poll(() => page.getByTestId('credits-remaining').textContent()).toBe('50 / 50');
    expect(await page.locator('.meter').getAttribute('title')).toMatch(/^50 of 50 credits left · refills /);
    await screenshot(page, 'desktop-home');

    await pickModels(page, 3);
    expect(await counterText(page)).toBe('3 / 3');
    const fourth = page.locator('.picker-row:not(.is-locked):not(.is-checked) input[type=checkbox]').first();
    await fourth.click();
    expect(await fourth.isChecked()).toBe(false);
    expect(await counterText(page)).toBe('3 / 3');
    expect(await page.getByTestId('picker-message').textContent()).toContain('up to 3 models at once');
    await screenshot(page, 'desktop-picker-limit');

    await page.getByRole('button', { name: 'Done' }).click();
    await page
      .locator('.composer-input')
      .fill('Explain the sum of the first n integers, with code and math.');
    await expect.poll(() => page.getByTestId('estimate').textContent(), { timeout: 5000 }).toMatch(/credit/);
    await page.locator('.composer-input').press('Enter');

    // All three cards stream at once, each with its own text.
    await expect
      .poll(() => cardStatuses(page), { timeout: 10_000, interval: 20 })
      .toEqual(['streaming', 'streaming', 'streaming']);
    await screenshot(page, 'desktop-streaming');
    // Stop one model; the other two finish on their own.
    const third = page.locator('article.result-card').nth(2);
    await third.getByRole('button', { name: /^Stop / }).click();
    await expect
      .poll(() => cardStatuses(page), { timeout: 15_000, interval: 50 })
      .toEqual(['done', 'done', 'stopped']);
    expect(await third.locator('.answer-note').textContent()).toBe('Stopped before the end.');
    const texts = await page.locator('article.result-card .answer').allTextContents();
    expect(texts).toHaveLength(3);
    for (const text of texts.slice(0, 2)) expect(text).toContain('(mock)');
    expect(await page.locator('article.result-card .katex').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('article.result-card pre code .hljs-keyword').count()).toBeGreaterThanOrEqual(
      2,
    );
    expect(await page.locator('.card-metrics').first().textContent()).toMatch(/TTFT\d+ ms/);
    expect(page.url()).toMatch(/\/local\/[\w-]+$/);
    await screenshot(page, 'desktop-results');

    // Kept in this browser: visible in the history after a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('history-item').count()).toBe(1);
    expect(await page.getByTestId('history-count').textContent()).toBe('1 of 2 saved');
    expect(await page.locator('article.result-card').count()).toBe(3);
    expect(await cardStatuses(page)).toEqual(['done', 'done', 'stopped']);
    await page.close();
  });

  it('shows the cards as a swipeable row on a phone', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(app.url);
    await pickModels(page, 2);
    await screenshot(page, 'mobile-home');
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'Two models on a phone');
    await waitForAllDone(page, 2);
    const grid = page.locator('.result-grid');
    const scrolls = await grid.evaluate((element) => element.scrollWidth > element.clientWidth);
    expect(scrolls).toBe(true);
    await page.getByRole('tab').nth(1).click();
    await expect.poll(() => page.getByRole('tab').nth(1).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => grid.evaluate((element) => element.scrollLeft > 100)).toBe(true);
    await page.waitForTimeout(400); // let the smooth scroll settle before the picture
    await screenshot(page, 'mobile-results');
    await page.close();
  });

  it('keeps the chosen theme after a reload, without an account', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await page.goto(`${app.url}/settings`);
    await page.locator('label.segment', { hasText: 'Dark' }).click();
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.goto(app.url);
    await screenshot(page, 'desktop-home-dark');
    await page.close();
  });
});
