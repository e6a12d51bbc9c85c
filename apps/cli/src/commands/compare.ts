import type { AppRouter } from '@compareintel/api';
import type { inferRouterInputs } from '@trpc/server';
import { currentUser, signedInClient } from '../client';
import { type Command, parseCommand } from '../command';
import { followRun } from '../compare/follow-run';
import { ColumnsRenderer, JsonLinesRenderer, type Renderer, SequentialRenderer } from '../compare/renderers';
import { RunState } from '../compare/run-state';
import { CliError, EXIT, type ExitCode } from '../errors';
import { note } from '../format';
import { readAllStdin } from '../input';

type CompareInput = inferRouterInputs<AppRouter>['compare']['start'];

const USAGE = `compareintel compare -m <model,model,…> [options] "prompt"
       echo "prompt" | compareintel compare -m <models> [options]

  -m, --models <ids>      models to compare, comma separated (or -m repeated); see \`compareintel models\`
  -s, --system <text>     a system prompt
  -t, --temperature <n>   0 to 2
  -c, --conversation <id> a follow-up in that saved conversation
      --web-search        let the models that can search the web (when the site turned it on)
      --json              the API's events as JSON lines on stdout, nothing else
      --api-url <url>

Answers stream side by side on a terminal wide enough for ${'≥'}40 characters a column, else (and when
stdout is not a terminal) one model after another; then each model's TTFT, tokens and credits.
Ctrl+C stops the run: the answers so far are saved and charged, then the summary prints (exit 130).
Exit codes: 0 the run settled (1 when every model failed), 2 bad input, 3 refused for credits or plan,
4 not signed in.`;

function numberFlag(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (
    value.trim() === '' ||
    !Number.isFinite(parsed) ||
    (integer && (!Number.isInteger(parsed) || parsed <= 0))
  ) {
    throw new CliError(
      `${flag} takes ${integer ? 'a conversation id (a whole number)' : 'a number'}, not "${value}".`,
      EXIT.badInput,
    );
  }
  return parsed;
}

async function promptOf(positionals: string[]): Promise<string> {
  if (positionals.length === 1 && positionals[0] === '-') return readAllStdin();
  if (positionals.length > 0) return positionals.join(' ');
  if (!process.stdin.isTTY) return readAllStdin();
  throw new CliError(
    'Give a prompt: compareintel compare -m <models> "your prompt" (or pipe it in).',
    EXIT.badInput,
  );
}

function rendererFor(json: boolean, models: string[]): Renderer {
  if (json) return new JsonLinesRenderer();
  const stdout = process.stdout;
  if (stdout.isTTY) {
    const columns = ColumnsRenderer.fitting(models, stdout.columns ?? 80, stdout.rows ?? 24);
    if (columns) return columns;
  }
  return new SequentialRenderer(models);
}

export const compare: Command = {
  name: 'compare',
  summary: 'run one prompt on several models and stream their answers',
  usage: USAGE,
  async run(args, env) {
    const { values, positionals, connection } = parseCommand(args, {
      models: { type: 'string', short: 'm', multiple: true },
      system: { type: 'string', short: 's' },
      temperature: { type: 'string', short: 't' },
      conversation: { type: 'string', short: 'c' },
      'web-search': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const models = (values.models ?? [])
      .flatMap((list) => list.split(','))
      .map((id) => id.trim())
      .filter(Boolean);
    if (models.length === 0) {
      throw new CliError('Pick the models with -m a,b,c (see `compareintel models`).', EXIT.badInput);
    }
    const temperature = numberFlag(values.temperature, '--temperature', false);
    const conversationId = numberFlag(values.conversation, '--conversation', true);
    const target = connection(env);
    const client = signedInClient(target, env);
    await currentUser(client);
    const input: CompareInput = {
      models,
      prompt: await promptOf(positionals),
      ...(values.system === undefined ? {} : { systemPrompt: values.system }),
      ...(temperature === undefined ? {} : { temperature }),
      ...(conversationId === undefined ? {} : { conversationId }),
      ...(values['web-search'] ? { webSearch: true } : {}),
    };

    // Ctrl+C once: stop the run and wait for its settled end; twice: leave at once (it settles anyway).
    let runId: string | null = null;
    let state: RunState | null = null;
    let renderer: Renderer | null = null;
    const say = (text: string) => (renderer ? renderer.notice(text) : note(text));
    let interrupted = false;
    const stop = () => {
      if (!runId) return;
      client.compare.stop.mutate({ runId }).catch((error: unknown) => {
        say(`Could not stop the run: ${error instanceof Error ? error.message : String(error)}`);
      });
    };
    const onInterrupt = () => {
      if (interrupted) {
        note('Left without waiting; the run is stopped and settled on the server.');
        process.exit(EXIT.interrupted);
      }
      interrupted = true;
      if (state) state.stopRequested = true;
      say('Stopping… (Ctrl+C again to leave without waiting)');
      stop();
    };
    process.on('SIGINT', onInterrupt);
    try {
      const started = await client.compare.start.mutate(input);
      runId = started.runId;
      if (interrupted) stop();
      const run = new RunState(started.models);
      run.stopRequested = interrupted;
      state = run;
      const shown = rendererFor(values.json === true, started.models);
      renderer = shown;
      await followRun(client, target.apiUrl, started.runId, (event) => {
        run.apply(event);
        shown.onEvent(event, run);
      });
      shown.finish(run);
      const exitCode: ExitCode = interrupted
        ? EXIT.interrupted
        : run.ending?.failure || run.everyModelFailed
          ? EXIT.failed
          : EXIT.ok;
      return exitCode;
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  },
};
