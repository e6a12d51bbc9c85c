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
  };
}

export function toSummary(row: Conversation, messageCount: number): TConversationSummary {
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
  };
}

export function toDetail(row: Conversation, messages: ConversationMessage[]) {
  const views = messages.map(toMessage);
  return { ...toSummary(row, views.length), ...groupConversationMessages(views) };
}
