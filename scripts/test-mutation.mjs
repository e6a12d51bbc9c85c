// `pnpm test:mutation [stryker options]`: runs StrykerJS (stryker.config.mjs), then prints the score per
// file and overall from reports/mutation/mutation.json as the last lines. Exits with Stryker's status.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const started = Date.now();
const stryker = spawnSync('pnpm', ['exec', 'stryker', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
if (stryker.status !== 0) process.exit(stryker.status ?? 1);

const report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8'));
const detectedStatuses = new Set(['Killed', 'Timeout']);
const countedStatuses = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

function tally(mutants) {
  const by = (status) => mutants.filter((m) => m.status === status).length;
  const counted = mutants.filter((m) => countedStatuses.has(m.status)).length;
  const detected = mutants.filter((m) => detectedStatuses.has(m.status)).length;
  const score = counted === 0 ? 100 : (100 * detected) / counted;
  return `${score.toFixed(2)} % (killed ${by('Killed')}, timeout ${by('Timeout')}, survived ${by('Survived')}, no coverage ${by('NoCoverage')})`;
}

const all = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  all.push(...mutants);
  console.log(`${file}: ${tally(mutants)}`);
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`Mutation score: ${tally(all)} in ${minutes} min`);
