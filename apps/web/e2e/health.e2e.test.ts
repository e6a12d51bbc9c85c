import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, startApp } from './harness';

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

  it('answers deep links with the app and unknown paths with a readable page', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/reset-password`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Choose a new password');
    expect(await page.textContent('body')).toContain('This link is incomplete');
    await page.goto(`${app.url}/no/such/page`);
    await expect
      .poll(() => page.locator('.callout-title').textContent())
      .toBe('There is nothing at this address');
    await page.close();
  });

  it('serves a favicon (no 404 on every page) and links it from the page', async () => {
    for (const [file, type] of [
      ['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)/],
      ['/favicon.svg', /^image\/svg\+xml/],
    ] as const) {
      const response = await fetch(`${app.url}${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toMatch(type);
    }
    const page = await browser.newPage();
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await page.goto(`${app.url}/`);
    await page.locator('h1').waitFor();
    expect(await page.locator('link[rel=icon]').first().getAttribute('href')).toBe('/favicon.svg');
    expect(missing).toEqual([]);
    await page.close();
  });
});
