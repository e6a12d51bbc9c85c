import { describe, expect, it } from 'vitest';
import { needsConfirmation, planFromLocal } from './eviction-plan';
import type { LocalConversation } from './local-history';

function visit(id: string, updatedAt: string, prompt = `prompt ${id}`): LocalConversation {
  return {
    id,
    title: null,
    createdAt: updatedAt,
    updatedAt,
    models: ['m/a'],
    turns: [{ prompt, answers: {} }],
  };
}

describe('planFromLocal (a visitor: the browser keeps the last few)', () => {
  it('has room below the limit', () => {
    const plan = planFromLocal([visit('a', '2026-12-01T10:00:00.000Z')], 2);
    expect(plan.evicts).toEqual([]);
    expect(needsConfirmation(plan)).toBe(false);
  });

  it('names the least recently used one at the limit, and cannot pin', () => {
    const plan = planFromLocal(
      [visit('new', '2026-12-01T10:05:00.000Z'), visit('old', '2026-12-01T10:00:00.000Z', 'Old   one')],
      2,
    );
    expect(plan).toEqual({
      limit: 2,
      evicts: [{ key: 'old', title: 'Old one', pinned: false }],
      blocked: false,
      canPin: false,
    });
    expect(needsConfirmation(plan)).toBe(true);
  });
});
