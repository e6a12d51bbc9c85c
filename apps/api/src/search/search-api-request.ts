import type { z } from 'zod';
import { SearchError } from './types';

export const DEFAULT_SEARCH_TIMEOUT_MS = 8_000;

export interface SearchApiRequest<Schema extends z.ZodType> {
  /** The service as people name it, first in every sentence: "Brave Search". */
  service: string;
  url: string;
  init: Omit<RequestInit, 'signal'>;
  /** The answer's expected shape. */
  schema: Schema;
  timeoutMs: number;
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Sentences for statuses this service gives a meaning of its own (e.g. Tavily's 432 plan limit). */
  statusSentences?: Readonly<Record<number, string>>;
}

/** "8 s", "0.25 s": how long a limit is, as the sentences say it. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

function networkCode(error: unknown): string | null {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause instanceof Error && 'code' in cause ? cause.code : null;
  return typeof code === 'string' ? code : null;
}

function statusSentence(service: string, status: number, own?: Readonly<Record<number, string>>): string {
  const sentence = own?.[status];
  if (sentence) return `${service} ${sentence} (HTTP ${status}).`;
  if (status === 401 || status === 403) return `${service} refused the API key (HTTP ${status}).`;
  if (status === 429) return `${service} is rate-limiting requests (HTTP 429); try again shortly.`;
  return `${service} answered with an error (HTTP ${status}).`;
}

/**
 * One call to a search API, its answer read against `schema`. Every failure becomes a `SearchError`
 * whose sentence names the service and what went wrong, and never holds the request (so never the key);
 * when the caller's own signal aborts, its reason is thrown as is.
 */
export async function requestSearchApi<Schema extends z.ZodType>(
  request: SearchApiRequest<Schema>,
): Promise<z.output<Schema>> {
  const { service } = request;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  let text: string;
  try {
    const response = await request.fetch(request.url, { ...request.init, signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new SearchError(statusSentence(service, response.status, request.statusSentences));
    }
    text = await response.text();
  } catch (error) {
    if (error instanceof SearchError) throw error;
    if (request.signal.aborted) throw request.signal.reason;
    if (timeout.aborted) {
      throw new SearchError(`${service} did not answer within ${formatSeconds(request.timeoutMs)}.`);
    }
    const code = networkCode(error);
    throw new SearchError(`${service} could not be reached${code ? ` (${code})` : ''}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SearchError(`${service} sent an answer that could not be read.`);
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) throw new SearchError(`${service} sent an answer that could not be read.`);
  return parsed.data;
}
