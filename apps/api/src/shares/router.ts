import {
  ZShareCreateInput,
  ZSharedConversation,
  ZShareLink,
  ZShareListInput,
  ZShareRevokeInput,
  ZShareTokenInput,
} from '@compareintel/shared';
import { z } from 'zod';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { createShare, listShares, revokeShare } from './manage-shares';
import { readSharedConversation } from './read-shared-conversation';

export const sharesRouter = router({
  create: authedProcedure
    .input(ZShareCreateInput)
    .output(ZShareLink)
    .mutation(({ ctx, input }) => createShare(ctx, input)),
  list: authedProcedure
    .input(ZShareListInput)
    .output(z.array(ZShareLink))
    .query(({ ctx, input }) => listShares(ctx, input)),
  revoke: authedProcedure
    .input(ZShareRevokeInput)
    .output(z.object({ revoked: z.boolean() }))
    .mutation(({ ctx, input }) => revokeShare(ctx, input)),
  /** Public: the shared conversation behind a link (visitors count against the per-IP budget). */
  get: publicProcedure
    .input(ZShareTokenInput)
    .output(ZSharedConversation)
    .query(({ ctx, input }) => readSharedConversation(ctx, input.token)),
});
