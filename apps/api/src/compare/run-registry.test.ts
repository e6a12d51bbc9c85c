import { describe, expect, it } from 'vitest';
import type { ComparisonRun } from './comparison-run';
import { ownerKeyOf, RunRegistry, sameOwner } from './run-registry';

// Who may reach a run (owner keys), the runs in flight here, and what graceful shutdown waits for.
function fakeRun(id: string, ownerKey: string) {
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const stopped: string[] = [];
  const run = {
    id,
    ownerKey,
    finished,
    stop: () => {
      stopped.push(id);
    },
  } as unknown as ComparisonRun;
  return { run, finish, fail, stopped };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('owner keys', () => {
  it('are the user for signed-in callers, the run secret for visitors, and nothing without either', () => {
    expect(ownerKeyOf({ user: { id: 7 } }, 'secret')).toBe('user:7');
    expect(ownerKeyOf({ user: null }, 'secret')).toBe('visitor:secret');
    expect(ownerKeyOf({ user: null }, null)).toBeNull();
    expect(ownerKeyOf({ user: null }, '')).toBeNull();
  });

  it('match only when equal, whatever their lengths', () => {
    expect(sameOwner('visitor:abc', 'visitor:abc')).toBe(true);
    expect(sameOwner('visitor:abc', 'visitor:abd')).toBe(false);
    expect(sameOwner('visitor:abc', 'visitor:abcd')).toBe(false);
    expect(sameOwner('user:1', 'user:12')).toBe(false);
  });
});

describe('RunRegistry', () => {
  it('finds a run by id, and forgets it once it ended (even by failing)', async () => {
    const registry = new RunRegistry();
    const a = fakeRun('a', 'user:1');
    const b = fakeRun('b', 'visitor:s3cret');
    registry.add(a.run);
    registry.add(b.run);
    expect(registry.get('a')).toBe(a.run);
    expect(registry.get('b')).toBe(b.run);
    expect(registry.get('c')).toBeUndefined();
    expect(registry.size).toBe(2);
    expect(registry.ids().sort()).toEqual(['a', 'b']);

    a.finish();
    b.fail(new Error('settlement failed'));
    await tick();
    expect(registry.ids()).toEqual([]);
    expect(registry.get('a')).toBeUndefined();
  });

  it('stops every run on shutdown and waits until each has ended', async () => {
    const registry = new RunRegistry();
    const a = fakeRun('a', 'user:1');
    const b = fakeRun('b', 'user:2');
    registry.add(a.run);
    registry.add(b.run);
    let done = false;
    const stopping = registry.stopAll().then(() => {
      done = true;
    });
    expect([...a.stopped, ...b.stopped]).toEqual(['a', 'b']);
    a.finish();
    await tick();
    expect(done).toBe(false);
    b.fail(new Error('could not save'));
    await stopping;
    expect(done).toBe(true);
  });
});
