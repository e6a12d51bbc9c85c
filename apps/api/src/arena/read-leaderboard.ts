import type { ArenaVote, Db, User } from '@compareintel/db';
import {
  AppError,
  hasPermission,
  rateModels,
  type TLeaderboard,
  type TLeaderboardInput,
  type TLeaderboards,
} from '@compareintel/shared';
import type { ModelRegistry } from '../models/registry';

function boardOf(votes: readonly ArenaVote[], models: ModelRegistry): TLeaderboard {
  const ratings = rateModels(votes.map((vote) => ({ outcome: vote.outcome, ranking: vote.ranking })));
  return {
    votes: votes.length,
    entries: ratings.map((rating, index) => ({
      rank: index + 1,
      name: models.get(rating.modelId)?.name ?? rating.modelId,
      ...rating,
    })),
  };
}

/**
 * The blind-vote leaderboards: `mine` from the caller's own votes; `global` (staff with `analytics.read`)
 * from everyone's, registered users' and visitors' apart (visitors' votes are easier to stuff).
 */
export async function readLeaderboard(
  { db, user, models }: { db: Db; user: User; models: ModelRegistry },
  input: TLeaderboardInput,
): Promise<TLeaderboards> {
  if (input.scope === 'mine') {
    const votes = await db.models.ArenaVote.query().where('user_id', user.id).orderBy('id');
    return { scope: 'mine', mine: boardOf(votes, models) };
  }
  if (!hasPermission(user, 'analytics.read')) {
    throw new AppError('FORBIDDEN', 'Only staff can see everyone’s leaderboard.');
  }
  const votes = await db.models.ArenaVote.query().orderBy('id');
  return {
    scope: 'global',
    registered: boardOf(
      votes.filter((vote) => !vote.is_anonymous),
      models,
    ),
    anonymous: boardOf(
      votes.filter((vote) => vote.is_anonymous),
      models,
    ),
  };
}
