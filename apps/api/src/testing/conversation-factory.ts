import type { Db, User } from '@compareintel/db';

export const MODEL_A = 'google/gemini-2.5-flash';
export const MODEL_B = 'openai/gpt-4o-mini';

/**
 * A saved comparison of two models over two prompts, as runs save them: A answers both (the first with
 * a web source), B fails the second. Every answer has its details, credits and a provider cost, so
 * tests can check what must and must not leave the account.
 */
export async function createSavedComparison(db: Db, user: User, options: { title?: string | null } = {}) {
  const createdAt = new Date('2026-11-30T08:00:00.000Z');
  const conversation = await db.models.Conversation.query().insertAndFetch({
    user_id: user.id,
    title: options.title === undefined ? 'Tabs or spaces' : options.title,
    input_data: 'Tabs or spaces? <b>Be brief</b>',
    models_used: [MODEL_A, MODEL_B],
    conversation_type: 'comparison',
    created_at: createdAt,
    updated_at: createdAt,
  });
  const prompt = (content: string) =>
    db.models.ConversationMessage.query().insert({
      conversation_id: conversation.id,
      role: 'user',
      model_id: null,
      content,
      input_tokens: 9,
      success: true,
    });
  const answer = async (
    modelId: string,
    content: string,
    detail: { status: 'done' | 'failed'; error?: string; credits: number; costUsd: number },
    figures: { input: number; output: number; ttft: number; duration: number },
  ) => {
    const message = await db.models.ConversationMessage.query().insert({
      conversation_id: conversation.id,
      role: 'assistant',
      model_id: modelId,
      content,
      input_tokens: figures.input,
      output_tokens: figures.output,
      success: detail.status === 'done',
      processing_time_ms: figures.duration,
    });
    await db.models.MessageDetail.query().insert({
      message_id: message.id,
      status: detail.status,
      error: detail.error ?? null,
      ttft_ms: figures.ttft,
      credits: detail.credits,
      cost_usd: detail.costUsd,
    });
    return message;
  };
  await prompt('Tabs or spaces? <b>Be brief</b>');
  const first = await answer(
    MODEL_A,
    'Spaces, per most style guides [1].',
    { status: 'done', credits: 1.25, costUsd: 0.0125 },
    { input: 9, output: 30, ttft: 210, duration: 1200 },
  );
  await db.models.MessageSource.query().insert({
    message_id: first.id,
    position: 0,
    kind: 'search',
    url: 'https://example.com/style-guide',
    title: 'Style guide',
  });
  await answer(
    MODEL_B,
    'Tabs: they let each reader pick a width.',
    { status: 'done', credits: 0.5, costUsd: 0.005 },
    { input: 9, output: 20, ttft: 150, duration: 800 },
  );
  await prompt('Why?');
  await answer(
    MODEL_A,
    'Consistency across editors.',
    { status: 'done', credits: 0.75, costUsd: 0.0075 },
    { input: 50, output: 10, ttft: 180, duration: 600 },
  );
  await answer(
    MODEL_B,
    'The model took too long to answer.',
    { status: 'failed', error: 'The model took too long to answer.', credits: 0, costUsd: 0 },
    { input: 50, output: 0, ttft: 0, duration: 5000 },
  );
  return conversation;
}
