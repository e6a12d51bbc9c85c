import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBody, sleep } from './http-bodies';

const ZChatRequest = z.looseObject({
  model: z.string(),
  messages: z.array(
    z.looseObject({
      role: z.string(),
      content: z
        .string()
        .nullable()
        .transform((content) => content ?? ''),
      tool_call_id: z.string().optional(),
      tool_calls: z
        .array(z.object({ id: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) }))
        .optional(),
    }),
  ),
  tools: z.array(z.looseObject({ function: z.looseObject({ name: z.string() }) })).optional(),
});

/** A tool call the fake model makes (arguments as an object are sent as their JSON). */
export interface FakeToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
}

/** How the fake upstream answers one model: fast by default; slow, failing, malformed or hanging on demand. */
export interface FakeBehavior {
  /** The answer; split on spaces into streamed pieces. Default: "Answer from <model> to: <last prompt>". */
  text?: string;
  ttftMs?: number;
  tokenDelayMs?: number;
  /** Answer the request itself with this HTTP status (e.g. 500) instead of a stream. */
  failStatus?: number;
  /** Only the first this many requests fail (with `failStatus`, 500 by default); later ones answer. */
  failTimes?: number;
  /** Send an error event after this many pieces, then end the stream. */
  errorAfterPieces?: number;
  /** Send a chunk that is not JSON after this many pieces. */
  malformedAfterPieces?: number;
  /** Send headers and the first pieces, then nothing more, ever. */
  hangAfterPieces?: number;
  /** USD cost reported in the final usage chunk (OpenRouter style); null leaves it out. */
  costUsd?: number | null;
  /**
   * Close this many connections without an answer, as soon as their request arrives (what a client
   * sees when it reuses a kept-alive connection the server had just closed).
   */
  dropBeforeAnswer?: number;
  /** Close the connection (no error event, no end) after this many pieces. */
  dropAfterPieces?: number;
  /** Token counts reported in usage; default: counted from the messages and pieces. */
  usage?: { promptTokens: number; completionTokens: number } | null;
  /**
   * Tool rounds, when the request offers tools: the answer to a request with k tool rounds behind it
   * (assistant messages with tool_calls) is round k's calls, streamed as OpenAI does (id and name in the
   * first delta, the JSON arguments in several later pieces, `finish_reason: "tool_calls"`). Past the last
   * round, or when no tools are offered, the model answers with `text`.
   */
  toolRounds?: FakeToolCall[][];
  /** Text the model writes before its tool calls in a tool round. */
  toolRoundText?: string;
}

export interface RecordedRequest {
  model: string;
  messages: Array<{ role: string; content: string; tool_call_id?: string | undefined }>;
  /** Names of the tools the request offered. */
  tools: string[];
  body: Record<string, unknown>;
  authorization: string | undefined;
  /** Set when the client closed the connection before the stream ended. */
  closedEarly: boolean;
  finished: boolean;
}

export interface FakeOpenAiServer {
  baseUrl: string;
  requests: RecordedRequest[];
  setBehavior(model: string, behavior: FakeBehavior): void;
  setDefault(behavior: FakeBehavior): void;
  reset(): void;
  close(): Promise<void>;
}

/** One tool round on the wire: optional text, then each call split over several chunks, then usage. */
async function streamToolRound(
  res: ServerResponse,
  round: {
    model: string;
    id: string;
    calls: FakeToolCall[];
    text: string | undefined;
    delayMs: number;
    costUsd: number | null;
  },
): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  const send = (delta: Record<string, unknown>, finish: string | null) =>
    res.write(
      `data: ${JSON.stringify({ id: round.id, object: 'chat.completion.chunk', created, model: round.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    );
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  send({ role: 'assistant', content: round.text ?? null }, null);
  for (const [index, call] of round.calls.entries()) {
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    const third = Math.ceil(args.length / 3);
    send(
      {
        tool_calls: [
          {
            index,
            id: `call_${round.id}_${index}`,
            type: 'function',
            function: { name: call.name, arguments: '' },
          },
        ],
      },
      null,
    );
    for (let at = 0; at < args.length; at += third) {
      if (round.delayMs) await sleep(round.delayMs);
      send({ tool_calls: [{ index, function: { arguments: args.slice(at, at + third) } }] }, null);
    }
  }
  send({}, 'tool_calls');
  res.write(
    `data: ${JSON.stringify({ id: round.id, object: 'chat.completion.chunk', created, model: round.model, choices: [], usage: { prompt_tokens: 50, completion_tokens: 20, total_tokens: 70, ...(round.costUsd === null ? {} : { cost: round.costUsd }) } })}\n\n`,
  );
  res.write('data: [DONE]\n\n');
  res.end();
}

/**
 * An OpenAI-compatible chat completions server on 127.0.0.1 speaking the real wire format: SSE `data:`
 * chunks, a final usage chunk (with `cost` like OpenRouter), then `data: [DONE]`.
 */
export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const behaviors = new Map<string, FakeBehavior>();
  let fallback: FakeBehavior = {};
  const requests: RecordedRequest[] = [];
  const sockets = new Set<ServerResponse>();
  /** Connections still to drop per model (dropBeforeAnswer), counted down. */
  const dropped = new Map<string, number>();
  /** Requests still to fail per model (failTimes), counted down. */
  const failing = new Map<string, number>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = ZChatRequest.parse(JSON.parse(await readBody(req)));
    const { model, messages } = body;
    const record: RecordedRequest = {
      model,
      messages,
      tools: body.tools?.map((tool) => tool.function.name) ?? [],
      body,
      authorization: req.headers.authorization,
      closedEarly: false,
      finished: false,
    };
    requests.push(record);
    res.on('close', () => {
      if (!record.finished) record.closedEarly = true;
    });
    const b = { ...fallback, ...behaviors.get(model) };
    const dropsLeft = dropped.get(model) ?? b.dropBeforeAnswer ?? 0;
    if (dropsLeft > 0) {
      dropped.set(model, dropsLeft - 1);
      req.socket.destroy();
      return;
    }

    let failStatus = b.failStatus;
    if (b.failTimes !== undefined) {
      const failsLeft = failing.get(model) ?? b.failTimes;
      failing.set(model, Math.max(0, failsLeft - 1));
      failStatus = failsLeft > 0 ? (b.failStatus ?? 500) : undefined;
    }
    if (failStatus) {
      await sleep(b.ttftMs ?? 0);
      record.finished = true;
      res
        .writeHead(failStatus, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `fake upstream failure for ${model}`, code: failStatus } }));
      return;
    }

    const round = messages.filter((m) => m.role === 'assistant' && m.tool_calls?.length).length;
    const toolCalls = record.tools.length > 0 ? b.toolRounds?.[round] : undefined;
    if (toolCalls) {
      await streamToolRound(res, {
        model,
        id: `gen-${requests.length}`,
        calls: toolCalls,
        text: b.toolRoundText,
        delayMs: b.tokenDelayMs ?? 0,
        costUsd: b.costUsd ?? null,
      });
      record.finished = true;
      return;
    }
    const lastPrompt = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const text = b.text ?? `Answer from ${model} to: ${lastPrompt.slice(0, 60)}`;
    const pieces = text.split(/(?<= )/);
    const id = `gen-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });

    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    sockets.add(res);
    res.on('close', () => sockets.delete(res));
    res.write(': OPENROUTER PROCESSING\n\n');
    await sleep(b.ttftMs ?? 0);
    for (let i = 0; i < pieces.length; i++) {
      if (res.destroyed) return;
      if (b.hangAfterPieces !== undefined && i === b.hangAfterPieces) return; // never ends
      if (b.dropAfterPieces !== undefined && i === b.dropAfterPieces) {
        res.socket?.destroy();
        return;
      }
      if (b.errorAfterPieces !== undefined && i === b.errorAfterPieces) {
        send({
          id,
          object: 'chat.completion.chunk',
          created,
          model,
          error: { message: 'Upstream model crashed', code: 502 },
          choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
        });
        record.finished = true;
        res.end();
        return;
      }
      if (b.malformedAfterPieces !== undefined && i === b.malformedAfterPieces) {
        res.write('data: {"id": "broken", "choices": [\n\n');
        record.finished = true;
        res.end();
        return;
      }
      if (i > 0 && b.tokenDelayMs) await sleep(b.tokenDelayMs);
      send(chunk(i === 0 ? { role: 'assistant', content: pieces[i] } : { content: pieces[i] }, null));
    }
    send(chunk({}, 'stop'));
    const promptTokens =
      b.usage?.promptTokens ?? messages.reduce((sum, m) => sum + m.content.split(/\s+/).length + 4, 0);
    const completionTokens = b.usage?.completionTokens ?? pieces.length;
    send({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        ...(b.costUsd === null || b.costUsd === undefined ? {} : { cost: b.costUsd }),
      },
    });
    res.write('data: [DONE]\n\n');
    record.finished = true;
    res.end();
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    requests,
    setBehavior(model, behavior) {
      behaviors.set(model, behavior);
      dropped.delete(model);
      failing.delete(model);
    },
    setDefault: (behavior) => {
      fallback = behavior;
    },
    reset() {
      behaviors.clear();
      dropped.clear();
      failing.clear();
      fallback = {};
      requests.length = 0;
    },
    async close() {
      for (const res of sockets) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
