import {
  ZBreakoutInput,
  ZConversationDetail,
  ZConversationIdInput,
  ZConversationSummary,
  ZEvictionPreview,
  ZExportConversationInput,
  ZExportedFile,
  ZImportConversationsInput,
  ZImportConversationsResult,
  ZListConversationsInput,
  ZRenameConversationInput,
  ZSetPinnedInput,
} from '@compareintel/shared';
import { z } from 'zod';
import { authedProcedure, router } from '../trpc';
import { exportConversation } from './export-conversation';
import { importConversations } from './import-conversations';
import {
  breakoutConversation,
  deleteConversation,
  getConversation,
  listConversations,
  renameConversation,
} from './manage-conversations';
import { setConversationPinned } from './pin-conversation';
import { previewEviction } from './preview-eviction';

export const conversationsRouter = router({
  list: authedProcedure
    .input(ZListConversationsInput.default({ limit: 20 }))
    .output(
      z.object({
        items: z.array(ZConversationSummary),
        nextCursor: z.number().int().nullable(),
        /** Saved conversations the user's tier keeps. */
        limit: z.number().int().positive(),
      }),
    )
    .query(({ ctx, input }) => listConversations(ctx, input)),
  get: authedProcedure
    .input(ZConversationIdInput)
    .output(ZConversationDetail)
    .query(({ ctx, input }) => getConversation(ctx, input.id)),
  rename: authedProcedure
    .input(ZRenameConversationInput)
    .output(z.object({ id: z.number().int(), title: z.string() }))
    .mutation(({ ctx, input }) => renameConversation(ctx, input)),
  delete: authedProcedure
    .input(ZConversationIdInput)
    .output(z.object({ deleted: z.boolean() }))
    .mutation(({ ctx, input }) => deleteConversation(ctx, input.id)),
  breakout: authedProcedure
    .input(ZBreakoutInput)
    .output(z.object({ conversationId: z.number().int() }))
    .mutation(({ ctx, input }) => breakoutConversation(ctx, input)),
  setPinned: authedProcedure
    .input(ZSetPinnedInput)
    .output(z.object({ id: z.number().int(), pinned: z.boolean() }))
    .mutation(({ ctx, input }) => setConversationPinned(ctx, input)),
  /** What a new comparison would delete to stay within the limit (asked before starting one). */
  evictionPreview: authedProcedure.output(ZEvictionPreview).query(({ ctx }) => previewEviction(ctx)),
  /** One of the user's conversations as a file: Markdown, the JSON export document, or one HTML page. */
  export: authedProcedure
    .input(ZExportConversationInput)
    .output(ZExportedFile)
    .query(({ ctx, input }) => exportConversation(ctx, input)),
  /** A visitor's conversations from this browser, or JSON exports, into the account. */
  import: authedProcedure
    .input(ZImportConversationsInput)
    .output(ZImportConversationsResult)
    .mutation(({ ctx, input }) => importConversations(ctx, input)),
});
