import { z } from 'zod';
import { MAX_MODELS_PER_COMPARISON } from '../tiers';
import { ZRunSecret } from './compare';

/**
 * What a blind run's cards are called until the vote: "Model A", "Model B", … (at most one per model a
 * comparison may have). The API decides which model is behind which label, at random.
 */
export const BLIND_LABELS: readonly string[] = Array.from(
  { length: MAX_MODELS_PER_COMPARISON },
  (_, index) => `Model ${String.fromCharCode(65 + index)}`,
);
export const ZBlindLabel = z
  .string()
  .refine((label) => BLIND_LABELS.includes(label), { message: 'Unknown label (expected "Model A" …)' });

/**
 * How the owner judged a blind run: `best` (one winner, the others below it), `ranking` (every model in
 * order, best first), or `all_good` / `all_bad` (all equal).
 */
export const ARENA_OUTCOMES = ['best', 'ranking', 'all_good', 'all_bad'] as const;
export const ZArenaOutcome = z.enum(ARENA_OUTCOMES);
export type TArenaOutcome = z.infer<typeof ZArenaOutcome>;

/**
 * A vote on a blind run, by labels: `best` names the winner as `ranking: [label]`; `ranking` lists every
 * label of the run once, best first; `all_good` / `all_bad` take no ranking.
 */
export const ZArenaVoteInput = z
  .object({
    runId: z.uuid(),
    runSecret: ZRunSecret.optional(),
    outcome: ZArenaOutcome,
    ranking: z.array(ZBlindLabel).max(MAX_MODELS_PER_COMPARISON).optional(),
  })
  .superRefine((input, ctx) => {
    const ranking = input.ranking ?? [];
    if (new Set(ranking).size !== ranking.length) {
      ctx.addIssue({ code: 'custom', path: ['ranking'], message: 'Each model can be ranked only once' });
    }
    if (input.outcome === 'best' && ranking.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['ranking'], message: 'Pick the one best answer' });
    }
    if (input.outcome === 'ranking' && ranking.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['ranking'], message: 'Rank every answer, best first' });
    }
    if ((input.outcome === 'all_good' || input.outcome === 'all_bad') && ranking.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['ranking'], message: 'An "all equal" vote ranks nothing' });
    }
  });
export type TArenaVoteInput = z.infer<typeof ZArenaVoteInput>;

/** The models behind a blind run's labels (answered by the vote, and after it by `arena.reveal`). */
export const ZRevealedModels = z.record(z.string(), z.object({ modelId: z.string(), name: z.string() }));
export type TRevealedModels = z.infer<typeof ZRevealedModels>;

export const ZArenaReveal = z.object({
  revealed: ZRevealedModels,
  outcome: ZArenaOutcome,
  /** The vote's ranking in labels, best first (for `best`: the winner alone; empty for all equal). */
  ranking: z.array(z.string()),
});
export type TArenaReveal = z.infer<typeof ZArenaReveal>;

export const ZArenaRunInput = z.object({ runId: z.uuid(), runSecret: ZRunSecret.optional() });
export type TArenaRunInput = z.infer<typeof ZArenaRunInput>;

export const ZLeaderboardInput = z.object({ scope: z.enum(['mine', 'global']) });
export type TLeaderboardInput = z.infer<typeof ZLeaderboardInput>;

/** One model's place on a board (ratings on an Elo-like scale: 1000 is an average model). */
export const ZLeaderboardEntry = z.object({
  rank: z.number().int().positive(),
  modelId: z.string(),
  name: z.string(),
  rating: z.number(),
  /** 95% confidence interval of the rating. */
  ciLow: z.number(),
  ciHigh: z.number(),
  /** Votes the model took part in. */
  votes: z.number().int().nonnegative(),
  /** Pairwise results drawn from those votes. */
  wins: z.number().int().nonnegative(),
  ties: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
});
export type TLeaderboardEntry = z.infer<typeof ZLeaderboardEntry>;

export const ZLeaderboard = z.object({
  votes: z.number().int().nonnegative(),
  entries: z.array(ZLeaderboardEntry),
});
export type TLeaderboard = z.infer<typeof ZLeaderboard>;

/** `mine`: the caller's own votes; `global` (staff): everyone's, registered users' and visitors' apart. */
export const ZLeaderboards = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('mine'), mine: ZLeaderboard }),
  z.object({ scope: z.literal('global'), registered: ZLeaderboard, anonymous: ZLeaderboard }),
]);
export type TLeaderboards = z.infer<typeof ZLeaderboards>;
