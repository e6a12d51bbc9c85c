import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '@compareintel/api/internal/testing/fake-openai-server';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardStatuses, pickModels, sendPrompt } from './flows';
import { launchBrowser, type RunningApp, screenshot, startApp } from './harness';

const RETRIED = 'The second model answers after a retry.';

function metric(card: Locator, title: string): Promise<string | null> {
  return card.locator(`.metric[title="${title}"] dd`).textContent();
}

async function answerText(card: Locator): Promise<string> {
  return (await card.locator('.answer').last().textContent()) ?? '';
}

/**
 * Compare two models where the upstream fails the second one once, then retry it from its card. The app
 * runs against an OpenAI-compatible fake on 127.0.0.1 (OPENROUTER_BASE_URL), not the mock.
 */
async function failOnceThenRetry(page: Page, fake: FakeOpenAiServer, prompt: string): Promise<Locator> {
  const ids = await pickModels(page, 2);
  await page.getByRole('button', { name: 'Done' }).click();
  const [, second] = ids;
  if (!second) throw new Error('two models were not picked');
  fake.setDefault({ text: 'The first model answers.', costUsd: 0.0011, ttftMs: 30 });
  fake.setBehavior(second, { failTimes: 1, failStatus: 503, text: RETRIED, costUsd: 0.0021, ttftMs: 40 });
  await sendPrompt(page, prompt);
  await expect.poll(() => cardStatuses(page), { timeout: 15_000, interval: 50 }).toEqual(['done', 'error']);

  const card = page.locator('article.result-card').nth(1);
  // The reason is kept on the card until the retry starts.
  const reason = (await card.getByRole('alert').textContent()) ?? '';
  expect(reason.length).toBeGreaterThan(0);
  expect(
    await page
      .locator('article.result-card')
      .first()
      .getByRole('button', { name: /^Regenerate/ })
      .count(),
  ).toBe(1);
  await screenshot(page, 'retry-failed-card');
  await card.getByRole('button', { name: /^Retry this model/ }).click();
  await expect.poll(() => cardStatuses(page), { timeout: 15_000, interval: 50 }).toEqual(['done', 'done']);
  await expect.poll(() => answerText(card)).toContain(RETRIED);
  expect(await card.getByRole('alert').count()).toBe(0);
  // One turn: the retry answered the same prompt, it did not add one.
  expect(await card.locator('.bubble-user').allTextContents()).toEqual([prompt]);
  expect(fake.requests.filter((request) => request.model === second)).toHaveLength(2);
  expect(fake.requests).toHaveLength(3);
  return card;
}

async function expectFigures(card: Locator): Promise<void> {
  expect(await metric(card, 'Time to first token')).not.toBe('—');
  expect(await metric(card, 'Credits for this answer')).not.toBe('—');
  expect(await metric(card, 'What the provider charged for this answer (USD)')).toBe('$0.0021');
}

describe('retry of a failed card (fake upstream fails once, then answers)', () => {
  let fake: FakeOpenAiServer;
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
    app = await startApp({ OPENROUTER_API_KEY: 'e2e-key', OPENROUTER_BASE_URL: fake.baseUrl });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await fake?.close();
  });

  it('signed in: the retried answer replaces the failure, and is there with its figures after a reload', async () => {
    fake.reset();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.url}/signup`);
    await page.getByLabel('Email').fill(`retry.${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('analytical1');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('user-menu').waitFor();
    await page.goto(app.url);

    const card = await failOnceThenRetry(page, fake, 'Answer me, even if it takes two tries.');
    await expect.poll(() => page.url()).toMatch(/\/c\/\d+$/);
    await expectFigures(card);
    expect(await page.getByTestId('conversation-cost').textContent()).toContain('$0.0032');

    // Reopened: the saved conversation shows the retried answer, with its TTFT, credits and cost.
    await page.reload();
    await expect.poll(() => cardStatuses(page)).toEqual(['done', 'done']);
    const reopened = page.locator('article.result-card').nth(1);
    await expect.poll(() => answerText(reopened)).toContain(RETRIED);
    expect(await reopened.locator('.bubble-user').count()).toBe(1);
    await expectFigures(reopened);
    expect(await metric(page.locator('article.result-card').first(), 'Time to first token')).not.toBe('—');
    await screenshot(page, 'retry-reopened');

    // A reply to the first model alone: a new turn that only it answers, with its thread.
    const first = page.locator('article.result-card').first();
    fake.setDefault({ text: 'Only the first model follows up.', costUsd: 0.001 });
    await first.getByRole('button', { name: /^Reply to .* only$/ }).click();
    await first.getByPlaceholder(/only…$/).fill('Just you, please.');
    await first.getByRole('button', { name: /^Send to / }).click();
    await expect
      .poll(() => answerText(first), { timeout: 15_000 })
      .toContain('Only the first model follows up.');
    const followUp = fake.requests.at(-1);
    expect(followUp?.messages.map((m) => m.content)).toEqual([
      'Answer me, even if it takes two tries.',
      'The first model answers.',
      'Just you, please.',
    ]);
    expect(await reopened.locator('.answer-note').last().textContent()).toBe('Not asked this turn.');
    await page.reload();
    await expect
      .poll(() => page.locator('article.result-card').first().locator('.bubble-user').count())
      .toBe(2);
    expect(
      await page.locator('article.result-card').nth(1).locator('.answer-note').last().textContent(),
    ).toBe('Not asked this turn.');
    await screenshot(page, 'reply-to-one-model');
    await context.close();
  });

  it('visitor: the retry runs the last prompt with that model alone, and the browser keeps the new answer', async () => {
    fake.reset();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(app.url);
    const card = await failOnceThenRetry(page, fake, 'A visitor asks twice.');
    expect(page.url()).toMatch(/\/local\/[\w-]+$/);
    await expectFigures(card);
    await page.reload();
    await expect.poll(() => cardStatuses(page)).toEqual(['done', 'done']);
    const reopened = page.locator('article.result-card').nth(1);
    await expect.poll(() => answerText(reopened)).toContain(RETRIED);
    await expectFigures(reopened);
    await context.close();
  });
});
