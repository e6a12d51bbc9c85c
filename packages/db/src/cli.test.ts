import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(packageDir, 'node_modules', '.bin', 'tsx');

async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(tsx, ['src/cli.ts', ...args], {
      cwd: packageDir,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    // execFile rejects with the exit code and both outputs attached to the error.
    if (error instanceof Error && 'code' in error && 'stdout' in error && 'stderr' in error) {
      return { code: Number(error.code), stdout: String(error.stdout), stderr: String(error.stderr) };
    }
    throw error;
  }
}

describe('cli', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'compareintel-cli-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('migrates and rolls back a relative sqlite: path resolved against INIT_CWD', async () => {
    const env = { DATABASE_URL: 'sqlite:./data/cli.db', INIT_CWD: workDir };
    const migrated = await cli(['migrate'], env);
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout).toMatch(
      /^migrated sqlite:\.\/data\/cli\.db to \d{14}_create_\w+ \((\d+) migrations, \1 new\)\n$/,
    );
    expect(existsSync(join(workDir, 'data', 'cli.db'))).toBe(true);

    const rolledBack = await cli(['rollback'], env);
    expect(rolledBack).toMatchObject({ code: 0, stderr: '' });
    expect(rolledBack.stdout).toMatch(/^rolled back sqlite:\.\/data\/cli\.db \(\d+ migrations undone\)\n$/);
  });

  it('prints one line and exits 1 for an unsupported DATABASE_URL', async () => {
    const result = await cli(['migrate'], { DATABASE_URL: 'mysql://x' });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'DATABASE_URL must start with sqlite: or postgres:// (got "mysql://x")\n',
    });
  });

  it('prints one line and exits 1 for an unreachable PostgreSQL', async () => {
    const result = await cli(['migrate'], { DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/test' });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Cannot reach PostgreSQL at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n',
    });
  });
});
