/**
 * How a conversation's flat message list becomes per-model threads (PRODUCT.md, Comparing 5–6): each
 * model sees the user turns plus its own earlier answers, never another model's.
 */

/** The fields grouping needs; full `TMessage`s and database rows both fit. */
export interface ThreadMessage {
  id: number;
  role: 'user' | 'assistant';
  modelId: string | null;
}

/** Messages in the order they were written (ids grow with time). */
function inWrittenOrder<M extends ThreadMessage>(messages: readonly M[]): M[] {
  return [...messages].sort((a, b) => a.id - b.id);
}

/**
 * Groups messages into `prompts` and, per model, answers aligned with them: `threads[m][i]` answers
 * `prompts[i]` or is null. Answers before the first prompt are ignored; if a model answered one
 * prompt twice, the later answer wins.
 */
export function groupConversationMessages<M extends ThreadMessage>(
  messages: readonly M[],
): { prompts: M[]; threads: Record<string, Array<M | null>> } {
  const prompts: M[] = [];
  const threads: Record<string, Array<M | null>> = {};
  for (const message of inWrittenOrder(messages)) {
    if (message.role === 'user') {
      prompts.push(message);
      continue;
    }
    if (message.modelId === null || prompts.length === 0) continue;
    const thread = threads[message.modelId] ?? [];
    thread[prompts.length - 1] = message;
    threads[message.modelId] = thread;
  }
  for (const modelId of Object.keys(threads)) {
    threads[modelId] = Array.from(prompts, (_, index) => threads[modelId]?.[index] ?? null);
  }
  return { prompts, threads };
}

/**
 * One model's thread in written order: every user turn and that model's own answers. Failed answers
 * are left out unless asked for, since their content is an error reason, not something the model said.
 * A turn answered more than once (retried or regenerated) counts only its latest answer, as the cards
 * show it: if that one failed, the model sees no answer for the turn, not the earlier one.
 */
export function modelThread<M extends ThreadMessage & { success: boolean }>(
  messages: readonly M[],
  modelId: string,
  options: { includeFailed?: boolean } = {},
): M[] {
  const thread: M[] = [];
  let answered = false;
  for (const message of inWrittenOrder(messages)) {
    if (message.role === 'user') {
      thread.push(message);
      answered = false;
      continue;
    }
    if (message.modelId !== modelId) continue;
    // A later answer to the same turn replaces the one before it.
    if (answered) thread.pop();
    answered = false;
    if (message.success || options.includeFailed === true) {
      thread.push(message);
      answered = true;
    }
  }
  return thread;
}
