import type { Command } from './command';
import { login, logout, whoami } from './commands/account';
import { credits, models } from './commands/catalog';
import { compare } from './commands/compare';
import { exportConversation, history, show } from './commands/conversations';
import { type Env, resolveConnection } from './config';
import { CliError, describeError, EXIT, type ExitCode } from './errors';
import { formatTable } from './format';

const COMMANDS: Command[] = [
  login,
  logout,
  whoami,
  models,
  compare,
  history,
  show,
  exportConversation,
  credits,
];

const HELP = `compareintel: compare AI models from the command line

Usage: compareintel <command> [options]

${formatTable(
  ['COMMAND', 'WHAT IT DOES'],
  COMMANDS.map((command) => [command.name, command.summary]),
)
  .split('\n')
  .slice(1)
  .map((line) => `  ${line}`)
  .join('\n')}

Every command takes --api-url <url> (else COMPAREINTEL_URL, else the URL saved at login, else
http://localhost:3000) and --help. COMPAREINTEL_TOKEN overrides the saved token.
Exit codes: 0 ok, 1 other failure, 2 bad input, 3 refused for credits or plan, 4 not signed in,
130 interrupted (Ctrl+C).`;

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

async function main(argv: string[], env: Env): Promise<ExitCode> {
  // The command is the first word that names one, so options may come before it too.
  const names = COMMANDS.map((candidate) => candidate.name);
  const at = argv.findIndex((word) => names.includes(word));
  const command = COMMANDS.find((candidate) => candidate.name === argv[at]);
  if (!command) {
    if (argv.length === 0) {
      process.stderr.write(`${HELP}\n`);
      return EXIT.badInput;
    }
    if (argv.some((word) => ['help', '--help', '-h'].includes(word))) {
      process.stdout.write(`${HELP}\n`);
      return EXIT.ok;
    }
    throw new CliError(`Unknown command "${argv[0]}": see \`compareintel help\`.`, EXIT.badInput);
  }
  const args = [...argv.slice(0, at), ...argv.slice(at + 1)];
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(args, env);
  } catch (error) {
    if (isParseArgsError(error)) {
      // node's sentence, without its advice about positionals that start with "-".
      const sentence = error.message.split('. ')[0]?.replace(/\.$/, '') ?? error.message;
      throw new CliError(`${sentence} (see \`compareintel ${command.name} --help\`).`, EXIT.badInput);
    }
    throw error;
  }
}

function apiUrlForMessages(argv: string[], env: Env): string {
  try {
    const flag = argv.indexOf('--api-url');
    return resolveConnection(env, flag >= 0 ? argv[flag + 1] : undefined).apiUrl;
  } catch {
    return env.COMPAREINTEL_URL ?? 'the configured URL';
  }
}

// A reader that went away (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
});

const argv = process.argv.slice(2);
main(argv, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const { message, exitCode } = describeError(error, apiUrlForMessages(argv, process.env));
    process.stderr.write(`compareintel: ${message}\n`);
    process.exitCode = exitCode;
  },
);
