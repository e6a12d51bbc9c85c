import type { HoldWebProgress } from '@compareintel/db';
import {
  AppError,
  MAX_SEARCHES_PER_ANSWER,
  type TSearchProvider,
  type TSource,
  type TWebTool,
} from '@compareintel/shared';
import type { ToolCall, ToolDefinition } from '../providers/llm/types';
import { type ReadablePage, SearchError, type SearchProvider } from '../search/types';

/** The tools a searching model is offered (OpenAI function tools). */
export const WEB_TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  {
    name: 'web_search',
    description:
      'Search the web for current or specific information. Returns numbered results with title, URL and snippet.',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'What to search for, as you would type it.' } },
      required: ['query'],
      additionalProperties: false,
    },
  },
  {
    name: 'fetch_url',
    description: 'Read one public web page (http or https) as plain text, e.g. a search result.',
    parameters: {
      type: 'object',
      properties: { url: { type: 'string', description: 'The page to read.' } },
      required: ['url'],
      additionalProperties: false,
    },
  },
];

/** Told to a searching model before its thread, so its citations match the card's numbered sources. */
export const WEB_TOOL_INSTRUCTIONS =
  'You can search the web with the web_search tool and read a page with fetch_url. Use them when the ' +
  'question needs current or specific facts. Tool results number their sources [1], [2], …; cite the ' +
  'sources you use by those numbers, e.g. [1].';

/** What the engine needs to run web tools for one run (see WebSearchGateway for where it comes from). */
export interface WebToolsDeps {
  search: SearchProvider;
  fetchPage(url: string, signal: AbortSignal): Promise<ReadablePage>;
  /** Counts one search against the caller's limit; throws TOO_MANY_REQUESTS past it. */
  allowSearch(): Promise<void>;
}

/** Where runs get their web tools: the active provider from settings, the page reader, the search limit. */
export interface WebSearchGateway {
  /**
   * The tools for one run of `caller` (`user:<id>` or `ip:<address>`) under these settings; null when
   * they name no usable provider.
   */
  toolsFor(
    settings: { enabled: boolean; provider: TSearchProvider | null; config: Record<string, unknown> | null },
    caller: { userId: number | null; ip: string },
  ): WebToolsDeps | null;
}

/** A tool event for the card, without the model id (the run adds it). */
export interface ToolEventBody {
  index: number;
  tool: TWebTool;
  target: string;
  state: 'running' | 'done' | 'failed';
  sources: TSource[];
  note: string | null;
}

const MAX_TARGET_CHARS = 500;
const MAX_SNIPPET_CHARS = 400;

/** A fresh record of an answer's web tool use. */
export function emptyWebProgress(): HoldWebProgress {
  return { searches: 0, sources: [], calls: [] };
}

function readableFailure(error: unknown, tool: TWebTool): string {
  if (error instanceof SearchError || error instanceof AppError) return error.message;
  if (error instanceof Error && error.name === 'AbortError') return 'The call was cut off.';
  return tool === 'web_search' ? 'The search failed.' : 'The page could not be read.';
}

function argumentOf(call: ToolCall, name: string): string | null {
  try {
    const parsed: unknown = JSON.parse(call.arguments || '{}');
    if (parsed && typeof parsed === 'object' && name in parsed) {
      const value = (parsed as Record<string, unknown>)[name];
      if (typeof value === 'string' && value.trim()) return value.trim();
    }
  } catch {
    // Not JSON: answered below as a readable tool error.
  }
  return null;
}

/**
 * The web tools of one answer: runs the calls its model asks for, numbers every page the model is given
 * (the same numbers on the card and in the model's citations), counts searches (charged per call, at most
 * `MAX_SEARCHES_PER_ANSWER`) and reports each call as it goes. A failing call never ends the answer: the
 * model gets a readable error as the tool's result, the card a note.
 */
export class AnswerWebTools {
  readonly progress: HoldWebProgress = emptyWebProgress();
  private nextIndex = 0;
  /** Searches started or done (a failed one gives its slot back). */
  private searchSlots = 0;

  constructor(
    private readonly deps: WebToolsDeps,
    private readonly report: (event: ToolEventBody) => void,
    /** Called when `progress` changed (saved with the run's progress, for crash recovery). */
    private readonly changed: () => void,
  ) {}

  /** Runs one call; answers what the model reads as the tool's result. */
  async run(call: ToolCall, signal: AbortSignal): Promise<string> {
    const index = this.nextIndex++;
    const tool: TWebTool = call.name === 'fetch_url' ? 'fetch_url' : 'web_search';
    if (call.name !== 'web_search' && call.name !== 'fetch_url') {
      return `Error: there is no tool called ${JSON.stringify(call.name.slice(0, 60))}. Use web_search or fetch_url.`;
    }
    const target = argumentOf(call, tool === 'web_search' ? 'query' : 'url');
    const shown = (target ?? '').slice(0, MAX_TARGET_CHARS);
    if (!target) {
      const note =
        tool === 'web_search'
          ? 'The model asked for a search without a query.'
          : 'The model asked to read a page without a URL.';
      return this.failed(index, tool, shown, note);
    }
    this.report({ index, tool, target: shown, state: 'running', sources: [], note: null });
    try {
      return tool === 'web_search'
        ? await this.search(index, target, signal)
        : await this.read(index, target, signal);
    } catch (error) {
      return this.failed(index, tool, shown, readableFailure(error, tool));
    }
  }

  private async search(index: number, query: string, signal: AbortSignal): Promise<string> {
    if (this.searchSlots >= MAX_SEARCHES_PER_ANSWER) {
      throw new SearchError(
        `This answer already made ${MAX_SEARCHES_PER_ANSWER} searches, the most one answer may.`,
      );
    }
    this.searchSlots += 1;
    try {
      await this.deps.allowSearch();
      const results = await this.deps.search.search(query, { signal });
      this.progress.searches += 1;
      const numbered = results.map((result) => ({
        number: this.addSource('search', result.url, result.title),
        result,
      }));
      this.done(
        index,
        'web_search',
        query,
        numbered.map(({ result }) => result),
      );
      if (numbered.length === 0) return `No results for "${query}".`;
      return [
        `Search results for "${query}":`,
        ...numbered.map(
          ({ number, result }) =>
            `[${number}] ${result.title}\nURL: ${result.url}\n${result.snippet.slice(0, MAX_SNIPPET_CHARS)}`,
        ),
      ].join('\n\n');
    } catch (error) {
      this.searchSlots -= 1;
      throw error;
    }
  }

  private async read(index: number, url: string, signal: AbortSignal): Promise<string> {
    const page = await this.deps.fetchPage(url, signal);
    const title = page.title || page.url;
    const number = this.addSource('page', page.url, title);
    this.done(index, 'fetch_url', url, [{ url: page.url, title }]);
    return `[${number}] ${title}\nURL: ${page.url}\n\n${page.text}`;
  }

  /** The source's number (1-based): a URL given twice keeps its first number. */
  private addSource(kind: 'search' | 'page', url: string, title: string): number {
    const known = this.progress.sources.findIndex((source) => source.url === url);
    if (known >= 0) return known + 1;
    this.progress.sources.push({ kind, url, title: title.slice(0, 500) || url });
    return this.progress.sources.length;
  }

  private done(index: number, tool: TWebTool, target: string, sources: TSource[]): void {
    const shown = target.slice(0, MAX_TARGET_CHARS);
    this.progress.calls.push({ tool, target: shown, state: 'done', note: null });
    this.report({
      index,
      tool,
      target: shown,
      state: 'done',
      sources: sources.map(({ url, title }) => ({ url, title: title.slice(0, 500) || url })),
      note: null,
    });
    this.changed();
  }

  private failed(index: number, tool: TWebTool, target: string, note: string): string {
    this.progress.calls.push({ tool, target, state: 'failed', note });
    this.report({ index, tool, target, state: 'failed', sources: [], note });
    this.changed();
    return `Error: ${note} Answer without it, or try a different ${tool === 'web_search' ? 'query' : 'page'}.`;
  }
}
