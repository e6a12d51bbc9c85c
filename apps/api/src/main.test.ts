import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const apiDir = path.resolve(import.meta.dirname, '..');

/** Start the real entry point with `env`; it must stop at once with one clear line on stderr. */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: apiDir,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('bad configuration stops the API with one clear line', () => {
  it('names an unknown DATABASE_URL scheme', () => {
    const { status, stderr } = start({ DATABASE_URL: 'mysql://root@db/app' });
    expect(status).toBe(1);
    expect(stderr).toBe(
      'Invalid configuration: DATABASE_URL must start with sqlite: or postgres:// (e.g. sqlite:./data/compareintel.db)',
    );
  });

  it('names an unreachable PostgreSQL server without a stack trace', () => {
    const { status, stderr } = start({ DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/none' });
    expect(status).toBe(1);
    expect(stderr).toBe('Cannot reach PostgreSQL at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1');
    expect(stderr).not.toContain('secret');
  });

  it('names a malformed value', () => {
    const { status, stderr } = start({ PORT: 'eighty' });
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Invalid configuration: PORT /);
  });
});
