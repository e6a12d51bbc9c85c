import { writeFileSync } from 'node:fs';
import type { TMessage } from '@compareintel/shared';
import { signedInClient } from '../client';
import { type Command, parseCommand } from '../command';
import { CliError, EXIT } from '../errors';
import {
  formatCount,
  formatCredits,
  formatDateTime,
  formatMs,
  formatTable,
  note,
  oneLine,
  print,
  printJson,
} from '../format';

function conversationId(positionals: string[], usage: string): number {
  const [raw, ...extra] = positionals;
  const id = Number(raw);
  if (!raw || extra.length > 0 || !Number.isInteger(id) || id <= 0) {
    throw new CliError(`Expected one conversation id (a number): ${usage}`, EXIT.badInput);
  }
  return id;
}

export const history: Command = {
  name: 'history',
  summary: 'your saved conversations, newest first',
  usage: 'compareintel history [--limit <n>] [--json] [--api-url <url>]',
  async run(args, env) {
    const { values, connection } = parseCommand(args, {
      limit: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
    });
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new CliError('--limit takes a whole number from 1 to 100.', EXIT.badInput);
    }
    const page = await signedInClient(connection(env), env).conversations.list.query({ limit });
    if (values.json) {
      printJson(page);
      return EXIT.ok;
    }
    if (page.items.length === 0) {
      print('No saved conversations yet.');
      return EXIT.ok;
    }
    print(
      formatTable(
        ['ID', 'UPDATED', 'MODELS', 'MESSAGES', 'TITLE'],
        page.items.map((item) => [
          `${item.id}${item.pinned ? '*' : ''}`,
          formatDateTime(item.updatedAt),
          String(item.modelsUsed.length),
          String(item.messageCount),
          oneLine(item.title ?? item.preview, 60),
        ]),
        [2, 3],
      ),
    );
    print(`\n${page.items.length} shown · your plan keeps ${page.limit} · * pinned`);
    return EXIT.ok;
  },
};

function answerHeading(modelId: string, answer: TMessage): string {
  const status = answer.status ?? (answer.success ? 'done' : 'failed');
  const figures = [
    answer.error ? `${status}: ${answer.error}` : status,
    `TTFT ${formatMs(answer.ttftMs)}`,
    `${formatCount(answer.inputTokens)} → ${formatCount(answer.outputTokens)} tokens`,
    `${formatCredits(answer.credits)} credits`,
  ];
  return `── ${modelId} · ${figures.join(' · ')}`;
}

export const show: Command = {
  name: 'show',
  summary: 'one conversation: each prompt, then every model’s answer',
  usage: 'compareintel show <id> [--json] [--api-url <url>]',
  async run(args, env) {
    const { values, positionals, connection } = parseCommand(args, { json: { type: 'boolean' } });
    const id = conversationId(positionals, show.usage);
    const conversation = await signedInClient(connection(env), env).conversations.get.query({ id });
    if (values.json) {
      printJson(conversation);
      return EXIT.ok;
    }
    const modelIds = [
      ...conversation.modelsUsed.filter((model) => model in conversation.threads),
      ...Object.keys(conversation.threads).filter((model) => !conversation.modelsUsed.includes(model)),
    ];
    print(`# ${oneLine(conversation.title ?? conversation.preview, 100)}`);
    print(
      `conversation ${conversation.id} · ${conversation.type} · ${modelIds.length} models · updated ${formatDateTime(conversation.updatedAt)}`,
    );
    conversation.prompts.forEach((prompt, turn) => {
      print(`\n━━ Prompt ${turn + 1} ━━`);
      print(prompt.content);
      for (const modelId of modelIds) {
        const answer = conversation.threads[modelId]?.[turn];
        if (!answer) continue;
        print(`\n${answerHeading(modelId, answer)}`);
        if (answer.content) print(answer.content);
      }
    });
    return EXIT.ok;
  },
};

const FORMATS = { md: 'markdown', markdown: 'markdown', json: 'json' } as const;

function isFormat(value: string): value is keyof typeof FORMATS {
  return value in FORMATS;
}

export const exportConversation: Command = {
  name: 'export',
  summary: 'a conversation as Markdown or JSON (to stdout, or -o <file>)',
  usage: 'compareintel export <id> [--format md|json] [-o <file>] [--api-url <url>]',
  async run(args, env) {
    const { values, positionals, connection } = parseCommand(args, {
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
    });
    const id = conversationId(positionals, exportConversation.usage);
    const format = values.format ?? 'md';
    if (!isFormat(format)) throw new CliError(`--format is md or json, not "${format}".`, EXIT.badInput);
    const file = await signedInClient(connection(env), env).conversations.export.query({
      id,
      format: FORMATS[format],
    });
    if (values.output) {
      writeFileSync(values.output, file.content);
      note(`Wrote ${values.output} (${file.mimeType}).`);
    } else {
      process.stdout.write(file.content.endsWith('\n') ? file.content : `${file.content}\n`);
    }
    return EXIT.ok;
  },
};
