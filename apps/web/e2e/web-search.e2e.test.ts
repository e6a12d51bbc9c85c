import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '@compareintel/api/internal/testing/fake-openai-server';
import {
  type FakeSearchServer,
  startFakeBrave,
} from '@compareintel/api/internal/testing/fake-search-servers';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardStatuses, sendPrompt } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

const SEARCHER = 'google/gemini-2.5-flash';

/**
 * Staff turn web search on (Brave, through a fake Brave API on 127.0.0.1) and test the connection; a user
 * switches "Web search" on, the model (a fake OpenAI-compatible upstream) calls `web_search`, the card
 * says what it is searching, then lists the sources its answer cites — also after a reload.
 */
describe('web search in the browser (issue 16)', () => {
  let upstream: FakeOpenAiServer;
  let brave: FakeSearchServer;
  let app: RunningApp;
  let browser: Browser;

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${app.url}/signin`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-menu').waitFor();
  }

  beforeAll(async () => {
    [upstream, brave] = await Promise.all([startFakeOpenAiServer(), startFakeBrave()]);
    app = await startApp({
      OPENROUTER_API_KEY: 'e2e-key',
      OPENROUTER_BASE_URL: upstream.baseUrl,
      BRAVE_SEARCH_URL: brave.url,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await Promise.all([upstream?.close(), brave?.close()]);
  });

  it('staff turn it on and test the provider; a search shows its status line, then the sources, kept on reload', async () => {
    const staffMatch = /Staff account created — email: (\S+)\s+password: (\S+)/.exec(app.output());
    if (!staffMatch?.[1] || !staffMatch[2]) throw new Error(`no staff account:\n${app.output()}`);
    const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const staff = await staffContext.newPage();
    staff.setDefaultTimeout(10_000);
    await signIn(staff, staffMatch[1], staffMatch[2]);
    await staff.goto(`${app.url}/admin/settings`);
    const settings = staff.getByTestId('admin-settings');
    await settings.waitFor();
    await settings.getByLabel('API key').fill(brave.apiKey);
    await settings.getByRole('checkbox', { name: /Web search/ }).check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => settings.getByRole('button', { name: 'Test connection' }).isEnabled()).toBe(true);
    await settings.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => settings.textContent(), { timeout: 10_000 })
      .toMatch(/Connected to Brave: 3 results in \d+ ms/);
    await screenshot(staff, 'web-search-settings');
    await staffContext.close();

    // A user compares with web search on; Brave answers slowly so the status line can be seen.
    brave.setBehavior({ delayMs: 1500 });
    upstream.setBehavior(SEARCHER, {
      toolRounds: [[{ name: 'web_search', arguments: { query: 'spring tides 2026' } }]],
      text: 'Spring tides follow the new and full Moon [1], twice a month [2].',
      costUsd: 0.002,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`search.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('analytical1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(app.url);

    const toggle = page.locator('.picker-toggle');
    await toggle.waitFor();
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await page.getByRole('switch', { name: 'Web search' }).check();
    await page.locator(`input[data-model-id="${SEARCHER}"]`).check();
    await page.getByRole('button', { name: 'Done' }).click();
    await sendPrompt(page, 'When are spring tides this year?');

    const card = page.locator('article.result-card').first();
    await expect
      .poll(() => card.getByTestId('tool-status').textContent(), { timeout: 10_000, interval: 50 })
      .toBe('Searching: spring tides 2026');
    await screenshot(page, 'web-search-status');
    await expect.poll(() => cardStatuses(page), { timeout: 15_000 }).toEqual(['done']);
    expect(await card.getByTestId('tool-status').count()).toBe(0);

    const sources = card.getByRole('region', { name: 'Sources' });
    const links = sources.getByRole('link');
    await expect.poll(() => links.count()).toBe(3);
    expect(await links.first().getAttribute('href')).toBe('https://example.com/spring-tides-2026/1');
    expect(await links.first().getAttribute('rel')).toContain('noopener');
    // The answer's [1] cites the first source.
    const citations = card.locator('.answer a.citation');
    await expect.poll(() => citations.count()).toBe(2);
    expect(await citations.first().getAttribute('href')).toBe('https://example.com/spring-tides-2026/1');
    expect(await citations.nth(1).getAttribute('href')).toBe('https://example.com/spring-tides-2026/2');
    await screenshot(page, 'web-search-sources');

    // Saved with the answer: a reload shows the same sources.
    await expect.poll(() => page.url()).toMatch(/\/c\/\d+$/);
    await page.reload();
    await expect.poll(() => cardStatuses(page)).toEqual(['done']);
    const reopened = page.locator('article.result-card').first().getByRole('region', { name: 'Sources' });
    await expect.poll(() => reopened.getByRole('link').count()).toBe(3);
    // The connection test's query, then the model's one search (the reload searched nothing).
    expect(brave.requests.map((request) => request.query)).toEqual([
      'CompareIntel connection test',
      'spring tides 2026',
    ]);
    await context.close();
  });
});
