import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BINARY = path.resolve(import.meta.dirname, '../dist/compareintel.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Environment on top of a clean one (PATH, HOME and XDG_CONFIG_HOME in a temp dir). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed (stdin is never a terminal here). */
  stdin?: string;
  /** Called with the running child and its output so far each time it prints (e.g. to send SIGINT). */
  onOutput?: (child: ChildProcess, output: { stdout: string; stderr: string }) => void;
}

/** A fresh config home: what `login` writes goes there. */
export function tempHome(): string {
  return mkdtempSync(path.join(tmpdir(), 'ci-cli-'));
}

/**
 * The built binary as a child process, as a user or script runs it. Spawned asynchronously: the API
 * under test lives in this process and must keep answering while the CLI runs.
 */
export function runCli(args: string[], options: CliRunOptions & { home: string }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BINARY, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: options.home,
        XDG_CONFIG_HOME: path.join(options.home, 'config'),
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => {
      output.stdout += chunk.toString();
      options.onOutput?.(child, output);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString();
      options.onOutput?.(child, output);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...output }));
    child.stdin.end(options.stdin ?? '');
  });
}
