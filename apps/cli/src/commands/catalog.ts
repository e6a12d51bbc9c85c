import { createApiClient, signedInClient } from '../client';
import { type Command, parseCommand } from '../command';
import { EXIT } from '../errors';
import { formatCount, formatDateTime, formatTable, print, printJson } from '../format';

function perMillion(usdPerToken: number | null): string {
  return usdPerToken === null ? '—' : `$${(usdPerToken * 1_000_000).toFixed(2)}`;
}

export const models: Command = {
  name: 'models',
  summary: 'the models you can compare (signed in: with your plan’s access)',
  usage: `compareintel models [--search <text>] [--available] [--json] [--api-url <url>]

--search keeps the models whose id, name or provider contains the text; --available only those
your plan can use now. Prices are USD per million input/output tokens.`,
  async run(args, env) {
    const { values, connection } = parseCommand(args, {
      search: { type: 'string', short: 's' },
      available: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const result = await createApiClient(connection(env)).models.list.query();
    const search = values.search?.trim().toLowerCase();
    const shown = result.models.filter(
      (model) =>
        (!values.available || model.available) &&
        (!search ||
          [model.id, model.name, model.provider].some((text) => text.toLowerCase().includes(search))),
    );
    if (values.json) {
      printJson({ ...result, models: shown });
      return EXIT.ok;
    }
    if (shown.length === 0) {
      print('No model matches.');
      return EXIT.ok;
    }
    print(
      formatTable(
        ['ID', 'NAME', 'PROVIDER', 'CONTEXT', 'IN/1M', 'OUT/1M', 'AVAILABLE'],
        shown.map((model) => [
          model.id,
          model.name,
          model.provider,
          formatCount(model.contextLength),
          perMillion(model.pricing.promptUsdPerToken),
          perMillion(model.pricing.completionUsdPerToken),
          model.available ? 'yes' : (model.unavailableReason ?? 'no'),
        ]),
        [3, 4, 5],
      ),
    );
    print(
      `\n${shown.length} models · up to ${result.modelsPerComparison} per comparison (${result.limitsTier})`,
    );
    return EXIT.ok;
  },
};

export const credits: Command = {
  name: 'credits',
  summary: 'your credit balance and when it resets',
  usage: 'compareintel credits [--json] [--api-url <url>]',
  async run(args, env) {
    const { values, connection } = parseCommand(args, { json: { type: 'boolean' } });
    const balance = await signedInClient(connection(env), env).credits.balance.query();
    if (values.json) {
      printJson(balance);
      return EXIT.ok;
    }
    print(
      formatTable(
        ['REMAINING', 'USED', 'ALLOCATED', 'PERIOD', 'RESETS'],
        [
          [
            String(balance.remaining),
            String(balance.used),
            String(balance.allocated),
            balance.period,
            formatDateTime(balance.resetsAt),
          ],
        ],
        [0, 1, 2],
      ),
    );
    return EXIT.ok;
  },
};
