import { ZPreferences, ZPreferencesUpdateInput } from '@compareintel/shared';
import { authedProcedure, router } from '../trpc';
import { getPreferences } from './get-preferences';
import { updatePreferences } from './update-preferences';

export const preferencesRouter = router({
  get: authedProcedure.output(ZPreferences).query(({ ctx }) => getPreferences(ctx, ctx.user.id)),

  update: authedProcedure
    .input(ZPreferencesUpdateInput)
    .output(ZPreferences)
    .mutation(({ ctx, input }) => updatePreferences(ctx, ctx.user.id, input)),
});
