import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

/**
 * The staff console: a super_admin finds a user, changes their tier and sees the audit row, and makes
 * someone a moderator; the moderator can look but cannot reach the role control; a plain user is refused.
 */
describe('the staff console', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let staff: { email: string; password: string };
  const stamp = Date.now().toString(36);
  const target = { email: `grace.${stamp}@example.com`, password: 'compiler42' };
  const moderator = { email: `mod.${stamp}@example.com`, password: 'moderate42' };

  async function register(account: { email: string; password: string }) {
    const response = await fetch(`${app.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    expect(response.status).toBe(200);
  }

  async function signIn(on: Page, account: { email: string; password: string }) {
    await on.goto(`${app.url}/signin`);
    await on.getByLabel('Email').fill(account.email);
    await on.getByLabel('Password').fill(account.password);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await on.getByTestId('user-menu').waitFor();
  }

  async function openUser(on: Page, email: string) {
    await on.getByTestId('admin-user-search').fill(email);
    await expect.poll(() => on.getByTestId('admin-user-row').count()).toBe(1);
    await expect.poll(() => on.getByTestId('admin-user-row').first().textContent()).toContain(email);
    await on.getByTestId('admin-user-row').first().click();
    await on.getByTestId('admin-user-drawer').waitFor();
    await expect.poll(() => on.locator('#drawer-title').textContent()).toBe(email);
  }

  beforeAll(async () => {
    app = await startApp();
    const match = /Staff account created — email: (\S+)\s+password: (\S+)/.exec(app.output());
    if (!match?.[1] || !match[2]) throw new Error(`no staff account in the start banner:\n${app.output()}`);
    staff = { email: match[1], password: match[2] };
    await register(target);
    await register(moderator);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a super_admin finds a user, changes their tier and sees the audit row', async () => {
    await signIn(page, staff);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-admin').click();
    await expect.poll(() => page.url()).toMatch(/\/admin$/);
    await page.getByTestId('admin-users-table').waitFor();

    await openUser(page, target.email);
    await page.getByTestId('drawer-tier').selectOption('pro');
    await page.getByTestId('drawer-save-tier').click();
    await expect.poll(() => page.getByTestId('drawer-notice').textContent()).toContain('Tier changed to Pro');
    await screenshot(page, 'admin-drawer');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('admin-user-drawer').count()).toBe(0);
    await expect.poll(() => page.getByTestId('admin-user-row').first().textContent()).toContain('Pro');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByTestId('audit-table').waitFor();
    const row = page.getByTestId('audit-row').filter({ hasText: target.email }).first();
    await expect.poll(() => row.textContent()).toContain('tier free → pro');
    expect(await row.textContent()).toContain(staff.email);
    await screenshot(page, 'admin-audit');
  });

  it('a super_admin makes someone a moderator with the role control', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await openUser(page, moderator.email);
    await page.getByTestId('drawer-role-select').selectOption('moderator');
    await page.getByRole('button', { name: 'Save role' }).click();
    await expect.poll(() => page.getByTestId('drawer-notice').textContent()).toContain('Moderator');
    await expect.poll(() => page.getByTestId('drawer-role').textContent()).toBe('Moderator');
    await page.keyboard.press('Escape');
  });

  it('a super_admin sees each job’s last run and runs one now, confirmed and audited', async () => {
    await page.getByRole('link', { name: 'Jobs' }).click();
    const list = page.getByTestId('admin-jobs');
    await list.waitFor();
    // The API ran its schedule at start: every job has a last run.
    await expect.poll(() => list.locator('li', { hasText: 'Never' }).count()).toBe(0);
    const cleanup = page.getByTestId('admin-job-cleanup');
    await cleanup.getByRole('button', { name: 'Run now' }).click();
    await page.locator('dialog[open]').getByRole('button', { name: 'Run now' }).click();
    await expect.poll(() => cleanup.textContent()).toContain('(manual)');
    await expect.poll(() => cleanup.textContent()).toContain('expired sessions');
    await screenshot(page, 'admin-jobs');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => page.getByTestId('audit-table').textContent()).toContain('job.run');
  });

  it('shows charts on the analytics page, at 390 px and in dark mode too', async () => {
    await page.getByRole('link', { name: 'Analytics' }).click();
    await page.getByTestId('analytics-table').waitFor();
    await page.locator('.admin-chart svg').first().waitFor();
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    try {
      await signIn(phone, staff);
      await phone.goto(`${app.url}/admin`);
      await phone.getByTestId('admin-users-table').waitFor();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(phone, 'admin-phone-users');
      await phone.goto(`${app.url}/admin/analytics`);
      await phone.locator('.admin-chart svg').first().waitFor();
      // The theme picker's choice, applied the way the app applies it: the console follows the tokens.
      await phone.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
      const background = await phone.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).not.toBe('rgb(246, 247, 249)');
      await screenshot(phone, 'admin-phone-analytics-dark');
    } finally {
      await phone.close();
    }
  });

  it('a moderator can look at users but cannot reach the role control', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const modPage = await context.newPage();
    modPage.setDefaultTimeout(10_000);
    try {
      await signIn(modPage, moderator);
      await modPage.goto(`${app.url}/admin`);
      await modPage.getByTestId('admin-users-table').waitFor();
      await openUser(modPage, target.email);
      expect(await modPage.getByTestId('drawer-role-select').count()).toBe(0);
      expect(await modPage.getByTestId('drawer-save-tier').count()).toBe(0);
      expect(await modPage.getByRole('link', { name: 'Settings' }).count()).toBe(0);
      await screenshot(modPage, 'admin-moderator-drawer');
    } finally {
      await context.close();
    }
  });

  it('refuses a plain user with a clear page, and their menu has no staff link', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const userPage = await context.newPage();
    userPage.setDefaultTimeout(10_000);
    try {
      await signIn(userPage, target);
      await userPage.getByTestId('user-menu').click();
      expect(await userPage.getByTestId('menu-admin').count()).toBe(0);
      await userPage.goto(`${app.url}/admin`);
      await expect
        .poll(() => userPage.getByTestId('admin-refused').textContent())
        .toContain('The staff console is for staff only');
    } finally {
      await context.close();
    }
  });
});
