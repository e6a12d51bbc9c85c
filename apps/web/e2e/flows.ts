import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Open the picker if needed and tick the first `count` models the caller may use. */
export async function pickModels(page: Page, count: number): Promise<string[]> {
  const toggle = page.locator('.picker-toggle');
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const open = page.locator('.picker-row:not(.is-locked) input[type=checkbox]');
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const box = open.nth(index);
    await box.check();
    ids.push((await box.getAttribute('data-model-id')) ?? '');
  }
  return ids;
}

export async function counterText(page: Page): Promise<string> {
  return (await page.getByTestId('picker-counter').textContent()) ?? '';
}

/** Type a prompt in the visible composer and send it with Enter. */
export async function sendPrompt(page: Page, prompt: string): Promise<void> {
  const box = page.locator('.composer-input');
  await box.fill(prompt);
  await box.press('Enter');
}

export async function cardStatuses(page: Page): Promise<string[]> {
  return page
    .locator('article.result-card')
    .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-status') ?? ''));
}

/** Wait until every card has finished its answer. */
export async function waitForAllDone(page: Page, cards: number): Promise<void> {
  await expect
    .poll(() => cardStatuses(page), { timeout: 20_000, interval: 100 })
    .toEqual(Array.from({ length: cards }, () => 'done'));
}

interface OutboxMail {
  to: string;
  subject: string;
  links: string[];
}

function isOutbox(value: unknown): value is { mails: OutboxMail[] } {
  return typeof value === 'object' && value !== null && 'mails' in value && Array.isArray(value.mails);
}

/** The newest link in the dev outbox sent to `email` whose path is `path`. */
export async function mailedLink(baseUrl: string, email: string, path: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        const body: unknown = await (await fetch(`${baseUrl}/dev/mail?format=json`)).json();
        if (!isOutbox(body)) return false;
        found = body.mails
          .filter((mail) => mail.to === email)
          .flatMap((mail) => mail.links)
          .find((link) => link.includes(path));
        return found !== undefined;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  return found ?? '';
}

export async function creditsLeft(page: Page): Promise<number> {
  const text = (await page.getByTestId('credits-remaining').locator('strong').textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}
