import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

describe('built web app served by the built API', () => {
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

  it('prints the seeded staff account once on first start', () => {
    expect(app.output()).toMatch(/Staff account created — email: \S+@\S+ {2}password: \S{8,}/);
  });

  it('shows the API health answer', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('health-status').textContent()).toBe('API healthy');
    expect(await page.textContent('body')).toContain('sqlite');
    await screenshot(page, 'health');
  });
});
