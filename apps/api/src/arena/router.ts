import {
  ZArenaReveal,
  ZArenaRunInput,
  ZArenaVoteInput,
  ZLeaderboardInput,
  ZLeaderboards,
} from '@compareintel/shared';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { castVote, revealBlindRun } from './cast-vote';
import { readLeaderboard } from './read-leaderboard';

/** Blind comparisons' votes and the leaderboards they make (issue 17). Rules live in the services. */
export const arenaRouter = router({
  /** Vote on your blind run once every answer ended; answers the models behind the labels. */
  vote: publicProcedure
    .input(ZArenaVoteInput)
    .output(ZArenaReveal)
    .mutation(({ ctx, input }) => castVote(ctx, input)),
  /** The models and your vote of a blind run you already voted on (PRECONDITION_FAILED before). */
  reveal: publicProcedure
    .input(ZArenaRunInput)
    .output(ZArenaReveal)
    .query(({ ctx, input }) => revealBlindRun(ctx, input)),
  leaderboard: authedProcedure
    .input(ZLeaderboardInput)
    .output(ZLeaderboards)
    .query(({ ctx, input }) => readLeaderboard(ctx, input)),
});
