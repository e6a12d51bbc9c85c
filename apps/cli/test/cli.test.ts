import { readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@compareintel/api/internal/testing/api-process';
import {
  type FakeOpenAiServer,
  startFakeOpenAiServer,
} from '@compareintel/api/internal/testing/fake-openai-server';
import {
  createTestApp,
  startTestServer,
  type TestApp,
  type TestServer,
} from '@compareintel/api/internal/testing/test-app';
import { createTestUser, type TestUser } from '@compareintel/api/internal/testing/user-factory';
import type { TCompareEvent } from '@compareintel/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CliResult, type CliRunOptions, runCli, tempHome } from './cli-harness';

const A = 'google/gemini-2.5-flash';
const B = 'anthropic/claude-haiku-4.5';
const C = 'deepseek/deepseek-chat-v3.1';
const PAID = 'anthropic/claude-opus-4';

let fake: FakeOpenAiServer;
let app: TestApp;
let http: TestServer;
let account: TestUser;
/** The signed-in user's config home (login writes there). */
let home: string;
const homes: string[] = [];

function freshHome(): string {
  const dir = tempHome();
  homes.push(dir);
  return dir;
}

/** The binary against the test API, in `home` unless another is given. */
function cli(args: string[], options: CliRunOptions & { home?: string } = {}): Promise<CliResult> {
  return runCli(args, {
    ...options,
    home: options.home ?? home,
    env: { COMPAREINTEL_URL: http.url, ...options.env },
  });
}

/** A failure is one line on stderr, the API's own sentence, never a stack trace. */
function expectOneLineError(result: CliResult, code: number, sentence: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^compareintel: /);
  expect(lines[0]).toMatch(sentence);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

function jsonLines(stdout: string): TCompareEvent[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TCompareEvent);
}

/** A token for `user` without a login round trip (login's rate limits are per email and IP). */
async function tokenFor(user: TestUser): Promise<string> {
  return (await app.signIn(user.user)).token;
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  app = await createTestApp({
    OPENROUTER_API_KEY: 'test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
    MODEL_TIMEOUT_MS: 10_000,
  });
  http = await startTestServer(app);
  account = await createTestUser(app.db);
  home = freshHome();
});

afterAll(async () => {
  await http?.close();
  await app?.close();
  await fake?.close();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

describe('compareintel against a real API', () => {
  it('refuses a wrong password with exit 4 and the API’s sentence, and writes nothing', async () => {
    const result = await cli(['login'], { stdin: `${account.email}\nnot the password 1\n` });
    expectOneLineError(result, 4, /The email or password is not correct\./);
    expect(() => statSync(path.join(home, 'config/compareintel/config.json'))).toThrow();
  });

  it('logs in from piped stdin, keeps the token in a 0600 file, and whoami uses it', async () => {
    const login = await cli(['login'], { stdin: `${account.email}\n${account.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain(`Signed in to ${http.url} as ${account.email} (free).`);
    const file = path.join(home, 'config/compareintel/config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved).toMatchObject({ apiUrl: http.url, email: account.email, token: expect.any(String) });

    const whoami = await cli(['whoami']);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain(account.email);
    expect(whoami.stdout).toMatch(/credits: 100 of 100 left this day/);
    const json = await cli(['whoami', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ email: account.email, tier: 'free' });
  });

  it('lists models as a table, filtered with --search and --available', async () => {
    const all = await cli(['models']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+PROVIDER\s+CONTEXT/);
    expect(all.stdout).toContain(PAID);
    const claude = await cli(['models', '--search', 'CLAUDE', '--available']);
    expect(claude.code).toBe(0);
    const rows = claude.stdout.split('\n').filter((line) => line.startsWith('anthropic/'));
    expect(rows.map((row) => row.split(/\s+/)[0])).toContain(B);
    expect(claude.stdout).not.toContain(PAID);
    expect(claude.stdout).not.toContain(A);
  });

  let conversationId = 0;

  it('compares 3 models with --json: one event per line, the failing model’s modelError, done last', async () => {
    fake.setBehavior(A, { text: 'alpha answers here' });
    fake.setBehavior(B, { failStatus: 500 });
    fake.setBehavior(C, { text: 'charlie answers too' });
    const result = await cli(['compare', '-m', `${A},${B}`, '-m', C, '--json', 'First question?']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const events = jsonLines(result.stdout);
    expect(events[0]).toMatchObject({ type: 'started', models: [A, B, C] });
    expect(events.at(-1)).toMatchObject({ type: 'done', creditsCharged: expect.any(Number) });
    expect(events.find((e) => e.type === 'modelError')).toMatchObject({
      modelId: B,
      message: expect.any(String),
    });
    expect(
      events.filter((e) => e.type === 'modelDone').map((e) => e.type === 'modelDone' && e.modelId),
    ).toEqual(expect.arrayContaining([A, C]));
    const text = (model: string) =>
      events.map((e) => (e.type === 'delta' && e.modelId === model ? e.text : '')).join('');
    expect(text(A)).toBe('alpha answers here');
    expect(text(C)).toBe('charlie answers too');
    const started = events[0];
    conversationId = started?.type === 'started' ? (started.conversationId ?? 0) : 0;
    expect(conversationId).toBeGreaterThan(0);
  });

  it('prints one model after another when stdout is not a terminal, then the summary', async () => {
    fake.setBehavior(A, { text: 'first block text', tokenDelayMs: 5 });
    fake.setBehavior(B, { text: 'second block text', tokenDelayMs: 1 });
    fake.setBehavior(C, { failStatus: 500 });
    const result = await cli(['compare', '-m', `${A},${B},${C}`, '--system', 'Be brief.', '-t', '0.3', 'Hi']);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    const at = (text: string) => out.indexOf(text);
    expect(at(`━━ ${A} ━━\nfirst block text\n`)).toBeGreaterThanOrEqual(0);
    expect(at(`━━ ${B} ━━\nsecond block text\n`)).toBeGreaterThan(at('first block text'));
    expect(at(`━━ ${C} ━━`)).toBeGreaterThan(at('second block text'));
    expect(out).not.toContain('\x1b[');
    expect(out).toMatch(/MODEL\s+STATUS\s+TTFT\s+TOKENS IN\s+TOKENS OUT\s+CREDITS/);
    expect(out).toMatch(new RegExp(`${A}\\s+done\\s+\\d`));
    expect(out).toMatch(new RegExp(`${C}\\s+failed\\s+—`));
    expect(out).toMatch(/Charged \d+ credits? · \d+ left/);
    const request = fake.requests.find((r) => r.model === A);
    expect(request?.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(request?.body.temperature).toBe(0.3);
  });

  it('follows up in a conversation with the prompt from stdin', async () => {
    fake.setBehavior(A, { text: 'second answer from alpha' });
    const result = await cli(['compare', '-m', A, '--conversation', String(conversationId), '--json'], {
      stdin: 'And the second question?\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ type: 'started', conversationId });
    const thread = fake.requests.find((r) => r.model === A)?.messages.map((m) => m.content);
    expect(thread).toEqual(['First question?', 'alpha answers here', 'And the second question?']);
  });

  it('shows the history, one conversation, and exports it as JSON and Markdown', async () => {
    const history = await cli(['history']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout.split('\n')[0]).toMatch(/^ID\s+UPDATED\s+MODELS\s+MESSAGES\s+TITLE/);
    expect(history.stdout).toMatch(new RegExp(`^${conversationId}\\s`, 'm'));
    expect(history.stdout).toContain('First question?');

    const show = await cli(['show', String(conversationId)]);
    expect(show.code, show.stderr).toBe(0);
    const first = show.stdout.indexOf('━━ Prompt 1 ━━\nFirst question?');
    expect(first).toBeGreaterThan(0);
    expect(show.stdout.indexOf('━━ Prompt 2 ━━\nAnd the second question?')).toBeGreaterThan(first);
    expect(show.stdout).toMatch(new RegExp(`── ${B} · failed`));
    expect(show.stdout).toContain('second answer from alpha');

    const json = await cli(['export', String(conversationId), '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout).toContain('First question?');
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    const file = path.join(home, 'export.md');
    const markdown = await cli(['export', String(conversationId), '--format', 'md', '-o', file]);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('And the second question?');

    const credits = await cli(['credits']);
    expect(credits.code).toBe(0);
    expect(credits.stdout).toMatch(
      /REMAINING\s+USED\s+ALLOCATED\s+PERIOD\s+RESETS\n\s*\d+\s+\d+\s+100\s+day/,
    );
  });

  it('exits 2 for bad input, with the API’s field sentence', async () => {
    expectOneLineError(await cli(['compare', '-m', A, '']), 2, /prompt: Write a prompt first/);
    expectOneLineError(await cli(['compare', '-m', 'nobody/no-such-model', 'x']), 2, /no-such-model/);
    expectOneLineError(await cli(['compare', '-m', A, '--bogus', 'x']), 2, /Unknown option '--bogus'/);
    expectOneLineError(await cli(['compare', 'x']), 2, /Pick the models with -m/);
    expectOneLineError(await cli(['compare', '-m', A, '-t', '9', 'x']), 2, /Temperature is at most 2/);
    expectOneLineError(await cli(['show', '999999']), 2, /.+/);
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 3 when refused for credits or for the plan', async () => {
    const spent = await createTestUser(app.db, { credits_used_this_period: 100 });
    const env = { COMPAREINTEL_TOKEN: await tokenFor(spent) };
    const credits = await cli(['compare', '-m', A, 'x'], { env, home: freshHome() });
    expect(credits.code, credits.stderr).toBe(3);
    expect(credits.stderr.trim().split('\n')).toHaveLength(1);
    const plan = await cli(['compare', '-m', PAID, 'x']);
    expectOneLineError(plan, 3, /Starter/);
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 4 when not signed in or when the token is no longer valid', async () => {
    const nobody = freshHome();
    expectOneLineError(
      await cli(['history'], { home: nobody }),
      4,
      /Not signed in: run `compareintel login`/,
    );
    expectOneLineError(await cli(['compare', '-m', A, 'x'], { home: nobody }), 4, /Not signed in/);
    const stale = { COMPAREINTEL_TOKEN: 'not-a-real-token' };
    expectOneLineError(
      await cli(['compare', '-m', A, 'x'], { home: nobody, env: stale }),
      4,
      /session has ended/,
    );
    expectOneLineError(await cli(['credits'], { home: nobody, env: stale }), 4, /sign in/i);
    expect(fake.requests).toHaveLength(0);
  });

  it('exits 1 with one line when the API cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await cli(['models', '--api-url', closed]);
    expectOneLineError(result, 1, new RegExp(`Could not reach the API at ${closed}: ECONNREFUSED$`));
  });

  it('stops the run on Ctrl+C, waits until it is settled, prints the summary and exits 130', async () => {
    const user = await createTestUser(app.db);
    const env = { COMPAREINTEL_TOKEN: await tokenFor(user) };
    fake.setBehavior(A, { text: 'slow '.repeat(500).trim(), tokenDelayMs: 20 });
    fake.setBehavior(B, { text: 'slower '.repeat(500).trim(), tokenDelayMs: 30 });
    let sent = false;
    const result = await cli(['compare', '-m', `${A},${B}`, 'Take your time'], {
      env,
      home: freshHome(),
      onOutput(child, output) {
        if (!sent && output.stdout.includes('slow slow slow')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('Stopping…');
    expect(result.stdout).toMatch(new RegExp(`${A}\\s+stopped`));
    expect(result.stdout).toMatch(/Charged \d+ credits? · -?\d+ left/);
    // Settled before the CLI left: the usage row is written and no hold is left behind.
    const logs = await app.db.models.UsageLog.query().where('user_id', user.user.id);
    expect(logs).toHaveLength(1);
    expect(await app.db.models.CreditHold.query().where('user_id', user.user.id)).toHaveLength(0);
    const answers = fake.requests.filter((r) => r.model === A || r.model === B);
    expect(answers.every((r) => r.closedEarly)).toBe(true);
  });

  it('logs out: the session ends on the API and the file is gone', async () => {
    const token = JSON.parse(readFileSync(path.join(home, 'config/compareintel/config.json'), 'utf8')).token;
    const result = await cli(['logout']);
    expect(result.code, result.stderr).toBe(0);
    expect(() => statSync(path.join(home, 'config/compareintel/config.json'))).toThrow();
    expectOneLineError(await cli(['whoami'], { env: { COMPAREINTEL_TOKEN: token } }), 4, /session has ended/);
  });
});
