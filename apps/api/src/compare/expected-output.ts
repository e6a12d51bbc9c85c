import type { Db } from '@compareintel/db';
import { medianOutputTokens } from '@compareintel/shared';

/** Recent finished answers a model's median output is taken over. */
const RECENT_ANSWERS = 50;
/** How long a model's median is reused before it is read again (estimates run on every keystroke pause). */
const CACHE_MS = 60_000;

interface CachedMedian {
  median: number | null;
  readAt: number;
}

/** Per database (tests run several), per model. */
const cache = new WeakMap<Db, Map<string, CachedMedian>>();

/**
 * Each model's median output tokens over its last answers across all users and visitors (from
 * `usage_log_models`, which every charged run writes), or null when it has too few to go by. Read once
 * a minute per model at most.
 */
export async function recentMedianOutputs(
  db: Db,
  modelIds: readonly string[],
  now: number = Date.now(),
): Promise<Map<string, number | null>> {
  let byModel = cache.get(db);
  if (!byModel) {
    byModel = new Map();
    cache.set(db, byModel);
  }
  const known = byModel;
  const result = new Map<string, number | null>();
  await Promise.all(
    modelIds.map(async (modelId) => {
      const cached = known.get(modelId);
      if (cached && now - cached.readAt < CACHE_MS) {
        result.set(modelId, cached.median);
        return;
      }
      const rows = await db.sql.all<{ output_tokens: number | string }>(
        `select output_tokens from usage_log_models where model_id = ? and status = 'done'
         order by usage_log_id desc limit ${RECENT_ANSWERS}`,
        [modelId],
      );
      const median = medianOutputTokens(rows.map((row) => Number(row.output_tokens)));
      known.set(modelId, { median, readAt: now });
      result.set(modelId, median);
    }),
  );
  return result;
}
