import {
  AppError,
  type TCompareEvent,
  type TCompareEventsInput,
  type TCompareStopInput,
} from '@compareintel/shared';
import type { AppContext } from '../context';
import { ownerDigest, type RunMeta } from './run-events';
import { ownerKeyOf, sameOwner } from './run-registry';

type FollowContext = Pick<AppContext, 'user' | 'runs' | 'runEvents'>;

const NO_SUCH_RUN =
  'This comparison is not running any more. Open it from your history to see what was saved.';

/**
 * The run, when the caller owns it: the signed-in user who started it, or the visitor holding its secret.
 * Anyone else learns nothing, not even that the run exists (NOT_FOUND either way).
 */
async function ownedRun(ctx: FollowContext, runId: string, runSecret: string | undefined): Promise<RunMeta> {
  const ownerKey = ownerKeyOf(ctx, runSecret ?? null);
  const meta = await ctx.runEvents.meta(runId);
  if (!ownerKey || !meta || !sameOwner(meta.owner, ownerDigest(ownerKey))) {
    throw new AppError('NOT_FOUND', NO_SUCH_RUN);
  }
  return meta;
}

/**
 * A run's events for its owner, from after `lastEventId` to its end (`done`, or `failed` when the run
 * itself failed), whichever API process runs it. A log that vanished (expired) is NOT_FOUND.
 */
export async function* followRun(
  ctx: FollowContext,
  input: TCompareEventsInput,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ id: string; event: TCompareEvent }> {
  await ownedRun(ctx, input.runId, input.runSecret);
  const after = input.lastEventId ? Number(input.lastEventId) : 0;
  for await (const entry of ctx.runEvents.read(input.runId, after, signal)) {
    const { record } = entry;
    if ('failure' in record) {
      yield { id: String(entry.id), event: { type: 'failed', ...record.failure } };
      return;
    }
    yield { id: String(entry.id), event: record.event };
    if (record.event.type === 'done') return;
  }
  if (!signal?.aborted) throw new AppError('NOT_FOUND', NO_SUCH_RUN);
}

/**
 * Stop one model of a run, or all of them, from any API process: directly when this process runs it,
 * otherwise by a stop request to the one that does. Answers whether anything was still running.
 */
export async function stopRun(ctx: FollowContext, input: TCompareStopInput): Promise<{ stopped: boolean }> {
  const meta = await ownedRun(ctx, input.runId, input.runSecret).catch(() => null);
  if (!meta || (input.modelId && !meta.models.includes(input.modelId))) return { stopped: false };
  const modelId = input.modelId ?? null;
  const local = ctx.runs.get(input.runId);
  if (local) return { stopped: local.stop(modelId ?? undefined) };
  const state = await ctx.runEvents.state(input.runId);
  const targets = modelId ? [modelId] : meta.models;
  if (state.finished || targets.every((target) => state.ended.has(target))) return { stopped: false };
  await ctx.runEvents.requestStop(input.runId, modelId);
  return { stopped: true };
}
