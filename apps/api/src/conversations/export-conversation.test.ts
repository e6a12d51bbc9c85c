import { ZConversationExport } from '@compareintel/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSavedComparison, MODEL_A, MODEL_B } from '../testing/conversation-factory';
import { createTestApp, type TestApp } from '../testing/test-app';
import { callerFailure } from '../testing/trpc-errors';
import { createTestUser } from '../testing/user-factory';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function owner() {
  const { user } = await createTestUser(app.db, { subscription_tier: 'starter' });
  const conversation = await createSavedComparison(app.db, user);
  return { user, conversation, caller: await app.callerAs(user) };
}

describe('conversations.export', () => {
  it('JSON: the version 1 document with every prompt, answer, status, metrics and source', async () => {
    const { conversation, caller } = await owner();
    const file = await caller.conversations.export({ id: conversation.id, format: 'json' });
    expect(file).toMatchObject({
      filename: 'compareintel-tabs-or-spaces-2026-11-30.json',
      mimeType: 'application/json',
    });
    const doc = ZConversationExport.parse(JSON.parse(file.content));
    expect(doc.conversation).toMatchObject({
      title: 'Tabs or spaces',
      type: 'comparison',
      createdAt: '2026-11-30T08:00:00.000Z',
      models: [MODEL_A, MODEL_B],
    });
    expect(doc.conversation.turns.map((turn) => turn.prompt)).toEqual([
      'Tabs or spaces? <b>Be brief</b>',
      'Why?',
    ]);
    expect(doc.conversation.turns[0]?.answers[MODEL_A]).toEqual({
      text: 'Spaces, per most style guides [1].',
      status: 'done',
      error: null,
      metrics: { inputTokens: 9, outputTokens: 30, ttftMs: 210, durationMs: 1200, credits: 1.25 },
      sources: [{ url: 'https://example.com/style-guide', title: 'Style guide' }],
    });
    expect(doc.conversation.turns[1]?.answers[MODEL_B]).toMatchObject({
      text: '',
      status: 'failed',
      error: 'The model took too long to answer.',
    });
    expect(file.content).not.toContain('costUsd');
  });

  it('Markdown and HTML: both models, both prompts, metrics; HTML escaped and script-free', async () => {
    const { conversation, caller } = await owner();
    const markdown = await caller.conversations.export({ id: conversation.id, format: 'markdown' });
    expect(markdown.mimeType).toContain('text/markdown');
    expect(markdown.filename.endsWith('.md')).toBe(true);
    expect(markdown.content).toContain('# Tabs or spaces');
    expect(markdown.content).toContain('> Tabs or spaces? <b>Be brief</b>');
    expect(markdown.content).toContain('> Why?');
    expect(markdown.content).toContain(`(\`${MODEL_A}\`)`);
    expect(markdown.content).toContain(`(\`${MODEL_B}\`)`);
    expect(markdown.content).toContain(
      '9 in / 30 out tokens · first token 210 ms · 1.2 s total · 1.25 credits',
    );
    expect(markdown.content).toContain('1. [Style guide](https://example.com/style-guide)');

    const html = await caller.conversations.export({ id: conversation.id, format: 'html' });
    expect(html.mimeType).toContain('text/html');
    expect(html.content).toContain('Tabs or spaces? &lt;b&gt;Be brief&lt;/b&gt;');
    expect(html.content).not.toMatch(/<script|<b>/i);
    expect(html.content.match(/<section class="column">/g)).toHaveLength(4);
  });

  it('is for the owner only', async () => {
    const { conversation } = await owner();
    const { user: other } = await createTestUser(app.db);
    const stranger = await app.callerAs(other);
    const failure = await callerFailure(
      stranger.conversations.export({ id: conversation.id, format: 'json' }),
    );
    expect(failure.code).toBe('NOT_FOUND');
    expect(
      (await callerFailure(app.caller().conversations.export({ id: conversation.id, format: 'json' }))).code,
    ).toBe('UNAUTHORIZED');
  });
});

describe('export → import round trip', () => {
  it('imports the JSON document into another account: same prompts, answers, statuses, metrics, sources', async () => {
    const { conversation, caller } = await owner();
    const exported = await caller.conversations.export({ id: conversation.id, format: 'json' });
    const { user: other } = await createTestUser(app.db);
    const importer = await app.callerAs(other);
    const result = await importer.conversations.import({ conversations: [JSON.parse(exported.content)] });
    expect(result).toMatchObject({ imported: 1, results: [{ localId: 'export-0', outcome: 'imported' }] });
    const id = result.results[0]?.conversationId;
    if (!id) throw new Error('not imported');

    const again = ZConversationExport.parse(
      JSON.parse((await importer.conversations.export({ id, format: 'json' })).content),
    );
    const original = ZConversationExport.parse(JSON.parse(exported.content));
    expect(again.conversation).toEqual(original.conversation);

    // Sent again: recognised, not saved twice. In the owner's own account it is already there.
    expect((await importer.conversations.import({ conversations: [original] })).results[0]?.outcome).toBe(
      'duplicate',
    );
    expect((await caller.conversations.import({ conversations: [original] })).results[0]?.outcome).toBe(
      'duplicate',
    );
    // Nothing was charged to the importer.
    expect(await app.db.models.CreditTransaction.query().where('user_id', other.id).resultSize()).toBe(0);
  });

  it('refuses a bad document with BAD_REQUEST, naming the field, writing nothing', async () => {
    const { conversation, caller } = await owner();
    const doc = JSON.parse(
      (await caller.conversations.export({ id: conversation.id, format: 'json' })).content,
    );
    const { user: other } = await createTestUser(app.db);
    const importer = await app.callerAs(other);
    const wrongVersion = await callerFailure(
      importer.conversations.import({ conversations: [{ ...doc, version: 2 }] }),
    );
    expect(wrongVersion.code).toBe('BAD_REQUEST');
    expect(wrongVersion.message).toContain('Unknown export version');
    const badModel = structuredClone(doc);
    badModel.conversation.models = [MODEL_A];
    const failure = await callerFailure(importer.conversations.import({ conversations: [badModel] }));
    expect(failure.code).toBe('BAD_REQUEST');
    expect(failure.message).toContain('one of the conversation’s models');
    expect(await app.db.models.Conversation.query().where('user_id', other.id).resultSize()).toBe(0);
  });
});
