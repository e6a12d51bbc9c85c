import type { BlindRun, Db, User } from '@compareintel/db';
import { AppError, type TArenaReveal, type TArenaRunInput, type TArenaVoteInput } from '@compareintel/shared';
import { UniqueViolationError } from 'objection';
import { ipKey, type RateLimits } from '../auth/rate-limits';
import { ownerDigest } from '../compare/run-events';
import { sameOwner } from '../compare/run-registry';
import type { ModelRegistry } from '../models/registry';
import { blindLabelsOf, labelOrder } from './blind-labels';

export interface ArenaActor {
  db: Db;
  user: User | null;
  models: ModelRegistry;
  rateLimits: RateLimits;
  request: { ip: string };
  now(): Date;
}

const NOT_YOURS = 'This blind comparison does not exist or is not yours.';

/**
 * The blind run, when the caller owns it: the signed-in user who started it, or the visitor holding the
 * secret its `compare.start` answered. Anyone else gets NOT_FOUND (nothing said about whether it exists).
 */
async function ownBlindRun(
  { db, user }: Pick<ArenaActor, 'db' | 'user'>,
  input: TArenaRunInput,
): Promise<BlindRun> {
  const run = await db.models.BlindRun.query().findById(input.runId);
  const keys = [
    ...(user ? [`user:${user.id}`] : []),
    ...(input.runSecret ? [`visitor:${input.runSecret}`] : []),
  ];
  if (!run || !keys.some((key) => sameOwner(run.owner_digest, ownerDigest(key)))) {
    throw new AppError('NOT_FOUND', NOT_YOURS);
  }
  return run;
}

/** The models behind the labels, named (only ever answered once the run is revealed). */
function revealedModels(run: BlindRun, models: ModelRegistry): TArenaReveal['revealed'] {
  return Object.fromEntries(
    Object.entries(run.labels).map(([label, modelId]) => [
      label,
      { modelId, name: models.get(modelId)?.name ?? modelId },
    ]),
  );
}

/**
 * The vote's ranking in model ids, best first (see arena_votes.ranking), after checking its labels are
 * the run's: `best` one of them, `ranking` every one of them once.
 */
function rankingOf(run: BlindRun, input: TArenaVoteInput): string[] {
  const labels = blindLabelsOf(run.labels);
  const order = labelOrder(labels.byLabel);
  const chosen = input.ranking ?? [];
  const unknown = chosen.find((label) => !labels.byLabel.has(label));
  if (unknown) throw new AppError('BAD_REQUEST', `${unknown} is not one of this comparison's answers.`);
  if (input.outcome === 'ranking' && chosen.length !== order.length) {
    throw new AppError('BAD_REQUEST', `Rank all ${order.length} answers, best first.`);
  }
  const ids = (list: string[]) => list.map((label) => labels.byLabel.get(label) ?? label);
  if (input.outcome === 'best') return ids([...chosen, ...order.filter((label) => !chosen.includes(label))]);
  if (input.outcome === 'ranking') return ids(chosen);
  return ids(order);
}

/**
 * Vote on a blind run: once, by its owner, after every answer ended. The vote is saved and the run revealed
 * in one transaction, and only then are the models named. Visitors' votes are rate-limited per address.
 */
export async function castVote(actor: ArenaActor, input: TArenaVoteInput): Promise<TArenaReveal> {
  if (!actor.user) await actor.rateLimits.consume('votePerVisitorIp', ipKey(actor.request.ip));
  const run = await ownBlindRun(actor, input);
  if (run.revealed_at) throw new AppError('CONFLICT', 'You already voted on this comparison.');
  if (!run.finished_at) {
    throw new AppError(
      'PRECONDITION_FAILED',
      'Some answers are still coming: vote once every answer has finished.',
    );
  }
  const ranking = rankingOf(run, input);
  const { db } = actor;
  try {
    await db.knex.transaction(async (trx) => {
      await db.models.ArenaVote.query(trx).insert({
        blind_run_id: run.id,
        user_id: actor.user?.id ?? null,
        is_anonymous: actor.user === null,
        outcome: input.outcome,
        ranking,
      });
      const revealed = await db.models.BlindRun.query(trx)
        .patch({ revealed_at: actor.now() })
        .where('id', run.id)
        .whereNull('revealed_at');
      if (revealed !== 1) throw new AppError('CONFLICT', 'You already voted on this comparison.');
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      throw new AppError('CONFLICT', 'You already voted on this comparison.');
    }
    throw error;
  }
  return {
    revealed: revealedModels(run, actor.models),
    outcome: input.outcome,
    ranking: input.outcome === 'best' || input.outcome === 'ranking' ? (input.ranking ?? []) : [],
  };
}

/** A blind run's models and vote, for its owner, once it was voted on (never before). */
export async function revealBlindRun(
  actor: Pick<ArenaActor, 'db' | 'user' | 'models'>,
  input: TArenaRunInput,
): Promise<TArenaReveal> {
  const run = await ownBlindRun(actor, input);
  const vote = run.revealed_at
    ? await actor.db.models.ArenaVote.query().findOne({ blind_run_id: run.id })
    : undefined;
  if (!vote) {
    throw new AppError('PRECONDITION_FAILED', 'Vote first: the models are named after your vote.');
  }
  const byModel = blindLabelsOf(run.labels).byModel;
  const labelsOf = (ids: string[]) => ids.map((id) => byModel.get(id) ?? id);
  return {
    revealed: revealedModels(run, actor.models),
    outcome: vote.outcome,
    ranking:
      vote.outcome === 'ranking'
        ? labelsOf(vote.ranking)
        : vote.outcome === 'best'
          ? labelsOf(vote.ranking.slice(0, 1))
          : [],
  };
}
