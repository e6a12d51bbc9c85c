/**
 * One comparison as the benchmark times it: straight from the fake upstream (the baseline) or through the
 * API (compare.start, then compare.events over SSE, parsed from the wire like any client would), and a
 * batch of them at a given concurrency.
 */
import { performance } from 'node:perf_hooks';
import type { LlmProvider } from '@compareintel/api/internal/providers/llm/types';

export interface RunTiming {
  /** Per model: from before the request that starts the run to the model's first token. */
  ttftMs: number[];
  totalMs: number;
  /** Through the API: how long compare.start took to answer (part of every model's TTFT). */
  startMs: number | null;
  ok: boolean;
  /** Behind the round-robin proxy: whether the start and the events came from different processes. */
  crossed: boolean | null;
  /** Why the run did not end with `done`. */
  error: string | null;
}

/** A run that has not ended this long after its start is reported as stuck rather than waited for. */
const RUN_TIMEOUT_MS = 60_000;

export interface ApiRunOptions {
  /** Called when compare.start has answered (admitted or not). */
  onStarted?: () => void;
  /** Called once every model has sent its first token (all its streams are open). */
  onStreaming?: () => void;
  /** Instead of RUN_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Baseline: each model streamed straight from the fake server with the OpenAI SDK. */
export async function directRun(provider: LlmProvider, models: string[]): Promise<RunTiming> {
  const started = performance.now();
  const ttftMs: number[] = [];
  await Promise.all(
    models.map(async (model) => {
      let first = true;
      const signal = new AbortController().signal;
      for await (const chunk of provider.stream({
        model,
        messages: [{ role: 'user', content: 'bench' }],
        signal,
      })) {
        if (chunk.type === 'text' && first) {
          first = false;
          ttftMs.push(performance.now() - started);
        }
      }
    }),
  );
  const ok = ttftMs.length === models.length;
  const totalMs = performance.now() - started;
  return { ttftMs, totalMs, startMs: null, ok, crossed: null, error: ok ? null : 'no text' };
}

/** A property of a parsed JSON value, or undefined. */
export function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

function errorMessage(body: unknown): string {
  const message = prop(prop(body, 'error'), 'message') ?? prop(body, 'message');
  return typeof message === 'string' ? message : JSON.stringify(body).slice(0, 200);
}

export interface ApiTarget {
  url: string;
  token: string;
}

/** Through the API: compare.start (a plain tRPC mutation: the body is the input), then compare.events. */
export async function apiRun(
  target: ApiTarget,
  models: string[],
  prompt: string,
  options: ApiRunOptions = {},
): Promise<RunTiming> {
  const timeoutMs = options.timeoutMs ?? RUN_TIMEOUT_MS;
  const started = performance.now();
  const ttftMs: number[] = [];
  let startMs: number | null = null;
  const failed = (error: string): RunTiming => ({
    ttftMs,
    totalMs: performance.now() - started,
    startMs,
    ok: false,
    crossed: null,
    error,
  });
  const signal = AbortSignal.timeout(timeoutMs);
  const authorization = `Bearer ${target.token}`;
  let events = 0;
  let lastEvent = 'none';
  try {
    const startResponse = await fetch(`${target.url}/trpc/compare.start`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ models, prompt }),
      signal,
    });
    const startBody: unknown = await startResponse.json();
    startMs = performance.now() - started;
    options.onStarted?.();
    const run = prop(prop(startBody, 'result'), 'data');
    const runId = prop(run, 'runId');
    const runSecret = prop(run, 'runSecret');
    if (!startResponse.ok || typeof runId !== 'string') {
      return failed(`compare.start ${startResponse.status}: ${errorMessage(startBody)}`);
    }
    const input = encodeURIComponent(
      JSON.stringify({ runId, ...(typeof runSecret === 'string' ? { runSecret } : {}) }),
    );
    const response = await fetch(`${target.url}/trpc/compare.events?input=${input}`, {
      headers: { authorization, accept: 'text/event-stream' },
      signal,
    });
    const startedOn = startResponse.headers.get('x-bench-backend');
    const followedOn = response.headers.get('x-bench-backend');
    const crossed = startedOn === null || followedOn === null ? null : startedOn !== followedOn;
    if (!response.ok || !response.body) return failed(`compare.events ${response.status}`);
    const seen = new Set<string>();
    const decoder = new TextDecoder();
    let buffer = '';
    let outcome: string | null = null;
    let modelError: string | null = null;
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0 && outcome === null) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        const kind = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
        const data = lines.find((line) => line.startsWith('data: '))?.slice(6) ?? '';
        if (kind === 'serialized-error') outcome = `compare.events error: ${errorMessage(JSON.parse(data))}`;
        if (kind === 'return') outcome = `compare.events ended before done (after ${lastEvent})`;
        if (kind !== 'message') continue;
        const event: unknown = JSON.parse(data);
        const type = prop(event, 'type');
        const modelId = prop(event, 'modelId');
        events++;
        lastEvent = String(type);
        if (type === 'delta' && typeof modelId === 'string' && !seen.has(modelId)) {
          seen.add(modelId);
          ttftMs.push(performance.now() - started);
          if (seen.size === models.length) options.onStreaming?.();
        }
        if (type === 'modelError') modelError ??= `modelError: ${errorMessage(event)}`;
        if (type === 'done') outcome = modelError ?? 'done';
      }
      if (outcome !== null) break;
    }
    await response.body.cancel().catch(() => undefined);
    if (outcome === 'done') {
      return { ttftMs, totalMs: performance.now() - started, startMs, ok: true, crossed, error: null };
    }
    return { ...failed(outcome ?? `stream closed before done (after ${lastEvent})`), crossed };
  } catch (error) {
    if (signal.aborted)
      return failed(`stuck: no done within ${timeoutMs / 1000} s (${events} events, last ${lastEvent})`);
    const phase = startMs === null ? 'compare.start' : `compare.events after ${lastEvent}`;
    const reason =
      error instanceof Error ? `${error.message} ${String(error.cause ?? '')}`.trim() : String(error);
    return failed(`${phase}: ${reason}`);
  }
}

export interface Measurement {
  ttft: number[];
  totals: number[];
  /** compare.start's answer times of the runs that succeeded. */
  startMs: number[];
  runs: number;
  errors: number;
  /** A few distinct failure reasons, for the report. */
  errorSamples: string[];
  /** Runs whose start and events were served by different processes (behind the proxy). */
  crossed: number;
  runsPerSecond: number;
}

/**
 * `concurrency` runs at once, in rounds until at least 20 ran (20 sequential runs at 1, one wave at 500),
 * so a percentile has enough samples at low concurrency. Each run gets its slot (0 … concurrency − 1),
 * so that concurrent runs can be different users'.
 */
export async function measure(
  concurrency: number,
  run: (slot: number) => Promise<RunTiming>,
): Promise<Measurement> {
  const rounds = Math.max(1, Math.ceil(20 / concurrency));
  const runs: RunTiming[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    runs.push(
      ...(await Promise.all(
        Array.from({ length: concurrency }, (_, slot) =>
          run(slot).catch(
            (error: unknown): RunTiming => ({
              ttftMs: [],
              totalMs: 0,
              startMs: null,
              ok: false,
              crossed: null,
              error: String(error),
            }),
          ),
        ),
      )),
    );
  }
  const wallMs = performance.now() - started;
  const ok = runs.filter((r) => r.ok);
  return {
    ttft: ok.flatMap((r) => r.ttftMs),
    totals: ok.map((r) => r.totalMs),
    startMs: ok.flatMap((r) => (r.startMs === null ? [] : [r.startMs])),
    runs: runs.length,
    errors: runs.length - ok.length,
    errorSamples: [...new Set(runs.flatMap((r) => (r.error ? [r.error] : [])))].slice(0, 3),
    crossed: runs.filter((r) => r.crossed).length,
    runsPerSecond: (ok.length / wallMs) * 1000,
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
