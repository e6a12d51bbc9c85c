import { createDb } from '@compareintel/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../context';
import { createCaller } from '../router';
import { createTestApp, startTestServer, type TestApp, type TestServer } from '../testing/test-app';

describe('health', () => {
  let app: TestApp;
  let http: TestServer;
  beforeAll(async () => {
    app = await createTestApp();
    http = await startTestServer(app);
  });
  afterAll(async () => {
    await http.close();
    await app.close();
  });

  it('reports a reachable, migrated database through createCaller', async () => {
    const health = await app.caller().health.check();
    expect(health.ok).toBe(true);
    expect(health.db.reachable).toBe(true);
    expect(health.db.dialect).toBe(process.env.TEST_DB === 'pg' ? 'pg' : 'sqlite');
    expect(health.db.migration).toMatch(/^\d{14}_/);
  });

  it('answers health.check and /healthz over real HTTP', async () => {
    const trpcResponse = await fetch(`${http.url}/trpc/health.check`);
    expect(trpcResponse.status).toBe(200);
    const body = (await trpcResponse.json()) as { result: { data: { ok: boolean } } };
    expect(body.result.data.ok).toBe(true);

    const plain = await fetch(`${http.url}/healthz`);
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('reports an unreachable database instead of throwing', async () => {
    const unreachable = createDb('postgres://postgres@127.0.0.1:1/nowhere');
    const caller = createCaller(createContextInner({ ...app.services, db: unreachable }));
    const health = await caller.health.check();
    expect(health).toMatchObject({ ok: false, db: { dialect: 'pg', reachable: false, migration: null } });
    await unreachable.destroy();
  });
});
