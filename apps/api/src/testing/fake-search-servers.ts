import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { z } from 'zod';
import { readBody, sleep } from './http-bodies';

/** One result as a fake search API holds it; Brave sends the snippet marked up, Tavily as is. */
export interface FakeSearchHit {
  title: string;
  url: string;
  snippet: string;
}

/** How a fake search API answers: three results per query by default; failing, slow or broken on demand. */
export interface FakeSearchBehavior {
  /** Results for these queries (exact text); other queries get `fakeHitsFor(query)`. */
  results?: Record<string, FakeSearchHit[]>;
  /** Answer with this HTTP status (401, 429, 500 …) instead of results. */
  failStatus?: number;
  /** Only the first this many requests fail (with `failStatus`, 500 by default); later ones answer. */
  failTimes?: number;
  /** Answer the first this many requests, then fail every later one (with `failStatus`, 500 by default). */
  failAfter?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Answer 200 with a body that is not JSON, or JSON of the wrong shape. */
  malformed?: 'json' | 'shape';
}

export interface RecordedSearchRequest {
  method: string;
  path: string;
  query: string;
  /** Brave: the URL's query parameters. */
  params: Record<string, string>;
  /** Tavily: the JSON body. */
  body: Record<string, unknown> | null;
  headers: IncomingHttpHeaders;
  keyAccepted: boolean;
}

export interface FakeSearchServer {
  /** The base URL to give the client (`baseUrl`). */
  url: string;
  /** The only key it accepts; any other gets 401. */
  apiKey: string;
  requests: RecordedSearchRequest[];
  setBehavior(behavior: FakeSearchBehavior): void;
  reset(): void;
  close(): Promise<void>;
}

/** The three results every query gets unless told otherwise. */
export function fakeHitsFor(query: string): FakeSearchHit[] {
  const slug =
    query
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'empty';
  return [1, 2, 3].map((n) => ({
    title: `Result ${n} for ${query}`,
    url: `https://example.com/${slug}/${n}`,
    snippet: `What page ${n} says about ${query} & more.`,
  }));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return `http://127.0.0.1:${port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const ZJsonObject = z.record(z.string(), z.unknown());

interface SearchApiShape {
  /** Whether this request is a search at all (others get 404). */
  isSearch(req: IncomingMessage, url: URL): boolean;
  keyOf(req: IncomingMessage): string | undefined;
  queryOf(url: URL, body: Record<string, unknown> | null): string;
  /** How many results the client asked for, if it did. */
  countOf(url: URL, body: Record<string, unknown> | null): number | undefined;
  answer(query: string, hits: FakeSearchHit[]): unknown;
  wrongShape: unknown;
  unauthorized: unknown;
}

async function startFakeSearchApi(shape: SearchApiShape): Promise<FakeSearchServer> {
  const apiKey = `test-key-${randomBytes(8).toString('hex')}`;
  const requests: RecordedSearchRequest[] = [];
  let behavior: FakeSearchBehavior = {};
  let failuresLeft: number | null = null;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!shape.isSearch(req, url)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const raw = req.method === 'POST' ? await readBody(req) : '';
    const body = raw ? ZJsonObject.parse(JSON.parse(raw)) : null;
    const query = shape.queryOf(url, body);
    const keyAccepted = shape.keyOf(req) === apiKey;
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      params: Object.fromEntries(url.searchParams),
      body,
      headers: req.headers,
      keyAccepted,
    });
    // The behaviour when the request arrived, even if the test changes it while this one waits.
    const b = behavior;
    // failTimes / failAfter say which requests fail; without them every one does.
    let failStatus = b.failAfter === undefined ? b.failStatus : undefined;
    if (b.failTimes !== undefined) {
      failuresLeft ??= b.failTimes;
      failStatus = failuresLeft > 0 ? (b.failStatus ?? 500) : undefined;
      failuresLeft = Math.max(0, failuresLeft - 1);
    }
    if (b.failAfter !== undefined && requests.length > b.failAfter) failStatus = b.failStatus ?? 500;
    const json = (status: number, payload: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    await sleep(b.delayMs ?? 0);
    if (!keyAccepted) return json(401, shape.unauthorized);
    if (failStatus) return json(failStatus, { error: `fake failure ${failStatus}` });
    if (b.malformed === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"results": [{"title": ');
      return;
    }
    if (b.malformed === 'shape') return json(200, shape.wrongShape);
    const hits = b.results?.[query] ?? fakeHitsFor(query);
    json(200, shape.answer(query, hits.slice(0, shape.countOf(url, body) ?? hits.length)));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  const url = await listen(server);
  return {
    url,
    apiKey,
    requests,
    setBehavior(next) {
      behavior = next;
      failuresLeft = null;
    },
    reset() {
      behavior = {};
      failuresLeft = null;
      requests.length = 0;
    },
    close: () => closeServer(server),
  };
}

/** Brave's Web Search API: GET /res/v1/web/search, key in X-Subscription-Token, matches in <strong>. */
export function startFakeBrave(): Promise<FakeSearchServer> {
  return startFakeSearchApi({
    isSearch: (req, url) => req.method === 'GET' && url.pathname === '/res/v1/web/search',
    keyOf: (req) => [req.headers['x-subscription-token']].flat()[0],
    queryOf: (url) => url.searchParams.get('q') ?? '',
    countOf: (url) => (url.searchParams.has('count') ? Number(url.searchParams.get('count')) : undefined),
    answer: (query, hits) => ({
      type: 'search',
      query: { original: query, more_results_available: false },
      web: {
        type: 'search',
        results: hits.map((hit) => ({
          type: 'search_result',
          title: escapeHtml(hit.title),
          url: hit.url,
          description: escapeHtml(hit.snippet)
            .split(escapeHtml(query))
            .join(`<strong>${escapeHtml(query)}</strong>`),
          language: 'en',
          family_friendly: true,
        })),
      },
    }),
    wrongShape: { type: 'search', web: { results: [{ title: 42 }] } },
    unauthorized: {
      type: 'ErrorResponse',
      error: {
        status: 401,
        code: 'SUBSCRIPTION_TOKEN_INVALID',
        detail: 'The provided subscription token is invalid.',
      },
    },
  });
}

/** Tavily's search API: POST /search with a JSON body, key as a Bearer token. */
export function startFakeTavily(): Promise<FakeSearchServer> {
  return startFakeSearchApi({
    isSearch: (req, url) => req.method === 'POST' && url.pathname === '/search',
    keyOf: (req) => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1],
    queryOf: (_url, body) => (typeof body?.query === 'string' ? body.query : ''),
    countOf: (_url, body) => (typeof body?.max_results === 'number' ? body.max_results : undefined),
    answer: (query, hits) => ({
      query,
      follow_up_questions: null,
      answer: null,
      images: [],
      results: hits.map((hit, index) => ({
        title: hit.title,
        url: hit.url,
        content: hit.snippet,
        score: 0.9 - index * 0.1,
        raw_content: null,
      })),
      response_time: 0.42,
    }),
    wrongShape: { query: 'x', results: 'none' },
    unauthorized: { detail: { error: 'Unauthorized: missing or invalid API key.' } },
  });
}

export interface FakeWebsite {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  requests: Array<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export const FAKE_ARTICLE_HTML = `<!doctype html>
<html lang="en"><head>
<meta charset="utf-8"><title>Tides &amp; the Moon</title>
<style>body { color: red }</style><script>var secret = "script text";</script>
</head><body>
<nav><a href="/">Home</a></nav>
<h1>Why tides happen</h1>
<p>The Moon&#8217;s gravity pulls the oceans&nbsp;&mdash; twice a day.</p>
<!-- a comment nobody reads -->
<ul><li>High tide</li><li>Low tide</li></ul>
<noscript>Enable JavaScript</noscript><svg><text>svg text</text></svg>
<p>Read more   about   <b>spring</b> tides.</p>
</body></html>`;

/**
 * A small website on 127.0.0.1 for the page reader: an article (/article), the same gzipped (/gzip),
 * plain text (/notes.txt), a PDF (/report.pdf), a 2 MB page (/large), a page that never answers
 * (/slow), a 404 (/missing), redirects (/redirect?to=<url>, /redirect-to-private to 127.0.0.1, and
 * /loop/<n> which redirects forever).
 */
export async function startFakeWebsite(): Promise<FakeWebsite> {
  const requests: FakeWebsite['requests'] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    const html = { 'content-type': 'text/html; charset=utf-8' };
    const loop = /^\/loop\/(\d+)$/.exec(url.pathname);
    if (url.pathname === '/article') res.writeHead(200, html).end(FAKE_ARTICLE_HTML);
    else if (url.pathname === '/gzip') {
      res.writeHead(200, { ...html, 'content-encoding': 'gzip' }).end(gzipSync(FAKE_ARTICLE_HTML));
    } else if (url.pathname === '/notes.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('Plain notes.\n\n\n\nSecond   line.');
    } else if (url.pathname === '/report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7 fake');
    } else if (url.pathname === '/large') {
      res.on('error', () => undefined); // the reader hangs up once it has read enough
      res.writeHead(200, html);
      res.write('<html><head><title>Large</title></head><body>');
      for (let n = 1; n <= 40_000; n++) res.write(`<p>Paragraph ${n} of a very long page.</p>`);
      res.end('<p>The very end.</p></body></html>');
    } else if (url.pathname === '/slow') {
      // never answers
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
    } else if (url.pathname === '/redirect-to-private') {
      res.writeHead(302, { location: `${origin}/article` }).end();
    } else if (loop) {
      res.writeHead(302, { location: `/loop/${Number(loop[1]) + 1}` }).end();
    } else res.writeHead(404, html).end('<h1>Not found</h1>');
  });
  origin = await listen(server);
  return {
    url: origin,
    port: Number(new URL(origin).port),
    requests,
    close: () => closeServer(server),
  };
}

/**
 * A test file's fake Brave and Tavily: started before its tests, reset after each, closed at the end;
 * `use` receives them once started.
 */
export function useFakeSearchApis(
  use: (apis: { brave: FakeSearchServer; tavily: FakeSearchServer }) => void,
) {
  let apis: { brave: FakeSearchServer; tavily: FakeSearchServer } | null = null;
  beforeAll(async () => {
    const [brave, tavily] = await Promise.all([startFakeBrave(), startFakeTavily()]);
    apis = { brave, tavily };
    use(apis);
  });
  afterEach(() => {
    apis?.brave.reset();
    apis?.tavily.reset();
  });
  afterAll(async () => {
    await Promise.all([apis?.brave.close(), apis?.tavily.close()]);
  });
}
