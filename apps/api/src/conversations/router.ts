import {
  ZBreakoutInput,
  ZConversationDetail,
  ZConversationIdInput,
  ZConversationSummary,
  ZListConversationsInput,
  ZRenameConversationInput,
} from '@compareintel/shared';
import { z } from 'zod';
import { authedProcedure, router } from '../trpc';
import {
  breakoutConversation,
  deleteConversation,
  getConversation,
  listConversations,
  renameConversation,
} from './manage-conversations';

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
});
