import type { Db, User } from '@compareintel/db';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  renderConversationExport,
  type TConversationExport,
  type TExportedFile,
  type TExportedTurn,
  type TExportFormat,
} from '@compareintel/shared';
import { assertRevealed } from '../arena/blind-runs';
import type { ModelRegistry } from '../models/registry';
import { answerText, loadConversationTurns } from './conversation-turns';
import { findOwnConversation } from './own-conversation';

/** The owner's conversation as a version 1 export document (see README, "Exporting"). */
export async function buildConversationExport(
  { db, user, now }: { db: Db; user: User; now(): Date },
  id: number,
): Promise<TConversationExport> {
  const conversation = await findOwnConversation(db, user, id);
  // A blind comparison's file would name its models before the vote.
  await assertRevealed(db, conversation.id);
  const { prompts, threads, models } = await loadConversationTurns(db, conversation);
  const turns: TExportedTurn[] = prompts.map((prompt, index) => {
    const answers: TExportedTurn['answers'] = {};
    for (const modelId of models) {
      const message = threads[modelId]?.[index];
      if (!message) continue;
      const status = message.status ?? (message.success ? 'done' : 'failed');
      answers[modelId] = {
        text: answerText(message),
        status,
        error: status === 'done' ? null : (message.error ?? message.content),
        metrics: {
          inputTokens: message.inputTokens,
          outputTokens: message.outputTokens,
          ttftMs: message.ttftMs,
          durationMs: message.processingTimeMs,
          credits: message.credits,
        },
        sources: message.sources,
      };
    }
    return { prompt: prompt.content, answers };
  });
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now().toISOString(),
    conversation: {
      title: conversation.title,
      type: conversation.conversation_type === 'breakout' ? 'breakout' : 'comparison',
      createdAt: conversation.created_at.toISOString(),
      updatedAt: conversation.updated_at.toISOString(),
      models,
      turns,
    },
  };
}

/** One of the owner's conversations as a Markdown, JSON or HTML file (anyone else's: NOT_FOUND). */
export async function exportConversation(
  deps: { db: Db; user: User; now(): Date; models: ModelRegistry },
  input: { id: number; format: TExportFormat },
): Promise<TExportedFile> {
  const doc = await buildConversationExport(deps, input.id);
  const names = Object.fromEntries(
    doc.conversation.models.map((id) => [id, deps.models.get(id)?.name ?? id]),
  );
  return renderConversationExport(doc, input.format, names);
}
