import type { Conversation, ConversationMessage } from '@compareintel/db';
import {
  groupConversationMessages,
  type TConversationSummary,
  type TMessage,
  ZAnswerStatus,
} from '@compareintel/shared';

export function toMessage(row: ConversationMessage): TMessage {
  return {
    id: row.id,
    role: row.role === 'user' ? 'user' : 'assistant',
    modelId: row.model_id,
    content: row.content,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    success: row.success,
    processingTimeMs: row.processing_time_ms,
    createdAt: row.created_at.toISOString(),
    status: row.detail ? ZAnswerStatus.catch('failed').parse(row.detail.status) : null,
    error: row.detail?.error ?? null,
    ttftMs: row.detail?.ttft_ms ?? null,
    credits: row.detail?.credits ?? null,
    costUsd: row.detail?.cost_usd ?? null,
    sources: [...(row.sources ?? [])]
      .sort((a, b) => a.position - b.position)
      .map(({ url, title }) => ({ url, title })),
    searches: (row.toolCalls ?? []).filter((call) => call.tool === 'web_search' && call.state === 'done')
      .length,
    notes: [...(row.toolCalls ?? [])]
      .sort((a, b) => a.position - b.position)
      .flatMap((call) =>
        call.state === 'failed' && call.note ? [`${failedCallLabel(call.tool)}: ${call.note}`] : [],
      ),
  };
}

/** How a failed tool call's note starts on the card ("Search failed: …"). */
export function failedCallLabel(tool: string): string {
  return tool === 'fetch_url' ? 'Reading failed' : 'Search failed';
}

/** What a message query loads with each message for `toMessage`. */
export const MESSAGE_GRAPH = '[detail, sources, toolCalls]';

/** A conversation row for the history; `pinned` when its owner pinned it (the `pin` relation or a flag). */
export function toSummary(
  row: Conversation,
  messageCount: number,
  pinned: boolean = row.pin != null,
): TConversationSummary {
  return {
    id: row.id,
    title: row.title,
    preview: row.input_data.replace(/\s+/g, ' ').trim().slice(0, 120),
    modelsUsed: row.models_used,
    type: row.conversation_type === 'breakout' ? 'breakout' : 'comparison',
    parentConversationId: row.parent_conversation_id,
    breakoutModelId: row.breakout_model_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    messageCount,
    pinned,
  };
}

/**
 * A breakout's title: "<model name> · <parent's title>", the parent's title falling back to the start
 * of its first prompt; kept within the column's 255 characters.
 */
export function breakoutTitle(modelName: string, parent: Conversation): string {
  const flat = parent.input_data.replace(/\s+/g, ' ').trim();
  const parentTitle = parent.title ?? (flat.length > 80 ? `${flat.slice(0, 80)}…` : flat || 'Untitled');
  const title = `${modelName} · ${parentTitle}`;
  return title.length > 255 ? `${title.slice(0, 254)}…` : title;
}

export function toDetail(row: Conversation, messages: ConversationMessage[], pinned: boolean) {
  const views = messages.map(toMessage);
  return { ...toSummary(row, views.length, pinned), ...groupConversationMessages(views), blindRunId: null };
}
