import { createApiClient, currentUser, signedInClient } from '../client';
import type { Command } from '../command';
import { parseCommand } from '../command';
import { configPath, deleteConfig, readConfig, writeConfig } from '../config';
import { CliError, describeError, EXIT } from '../errors';
import { formatDateTime, note, print, printJson } from '../format';
import { askLine, askSecret, readAllStdin } from '../input';

/** Email and password: asked on a terminal (the password hidden), else the first lines piped to stdin. */
async function readCredentials(emailFlag: string | undefined): Promise<{ email: string; password: string }> {
  if (process.stdin.isTTY) {
    const email = emailFlag ?? (await askLine('Email: '));
    const password = await askSecret('Password: ');
    return { email: email.trim(), password };
  }
  const lines = (await readAllStdin()).split(/\r?\n/);
  const email = emailFlag ?? lines.shift() ?? '';
  const password = lines.shift() ?? '';
  return { email: email.trim(), password };
}

export const login: Command = {
  name: 'login',
  summary: 'sign in and keep a token in your config directory',
  usage: `compareintel login [--email <email>] [--api-url <url>]

Asks for your email and password (the password is not shown as you type). When stdin is not a
terminal, the first line piped in is the email (unless --email is given) and the next the password:
  printf '%s\\n%s\\n' "$EMAIL" "$PASSWORD" | compareintel login
The token is saved with the API URL in $XDG_CONFIG_HOME/compareintel/config.json (mode 0600).`,
  async run(args, env) {
    const { values, connection } = parseCommand(args, { email: { type: 'string' } });
    const target = connection(env);
    const { email, password } = await readCredentials(values.email);
    if (!email || !password) throw new CliError('Email and password are both needed.', EXIT.badInput);
    const client = createApiClient({ apiUrl: target.apiUrl, token: null });
    const { token, expiresAt } = await client.auth.createToken.mutate({ email, password });
    const file = writeConfig(env, { apiUrl: target.apiUrl, token, email });
    const me = await createApiClient({ apiUrl: target.apiUrl, token }).auth.me.query();
    print(`Signed in to ${target.apiUrl} as ${me?.email ?? email}${me ? ` (${me.tier})` : ''}.`);
    note(`Token saved in ${file} (valid until ${formatDateTime(expiresAt)}, renewed as you use it).`);
    return EXIT.ok;
  },
};

export const logout: Command = {
  name: 'logout',
  summary: 'end the session on the API and delete the saved token',
  usage: 'compareintel logout [--api-url <url>]',
  async run(args, env) {
    const { connection } = parseCommand(args, {});
    const target = connection(env);
    const stored = readConfig(env);
    if (stored.token) {
      try {
        await createApiClient({ apiUrl: target.apiUrl, token: stored.token }).auth.logout.mutate();
      } catch (error) {
        // The local token goes anyway: a session the API cannot end now expires on its own.
        note(`The API did not end the session (${describeError(error, target.apiUrl).message})`);
      }
    }
    deleteConfig(env);
    print(stored.token ? `Signed out; deleted ${configPath(env)}.` : 'Not signed in.');
    return EXIT.ok;
  },
};

export const whoami: Command = {
  name: 'whoami',
  summary: 'the account the saved token belongs to',
  usage: 'compareintel whoami [--json] [--api-url <url>]',
  async run(args, env) {
    const { values, connection } = parseCommand(args, { json: { type: 'boolean' } });
    const target = connection(env);
    const me = await currentUser(signedInClient(target, env));
    if (values.json) {
      printJson(me);
      return EXIT.ok;
    }
    const limits =
      me.limitsTier === me.tier ? '' : ` (limits of ${me.limitsTier} until the email is verified)`;
    print(`${me.email} on ${target.apiUrl}`);
    print(`plan: ${me.tier}${limits}${me.isAdmin ? ` · staff (${me.role})` : ''}`);
    print(
      `credits: ${me.credits.remaining} of ${me.credits.allocated} left this ${me.credits.period}` +
        (me.credits.resetsAt ? `, resets ${formatDateTime(me.credits.resetsAt)}` : ''),
    );
    return EXIT.ok;
  },
};
