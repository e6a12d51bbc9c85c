import { describeInterval } from '@compareintel/shared';
import { closeServices, createServices } from '../app';
import { loadConfig } from '../env';
import { isJobName, JOB_NAMES, JOBS, jobIntervals, runJob } from './jobs';

const USAGE = `Usage: pnpm jobs list
       pnpm jobs <${JOB_NAMES.join('|')}> [--dry-run]`;

/** `pnpm jobs …`: list the maintenance jobs, or run one now and print what it did. */
async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv.filter((arg) => arg !== '--');
  const config = loadConfig();
  if (command === 'list') {
    const intervals = jobIntervals(config.JOB_INTERVALS);
    for (const name of JOB_NAMES)
      console.log(
        `${name.padEnd(10)} ${describeInterval(intervals[name]).padEnd(12)} ${JOBS[name].description}`,
      );
    console.log(
      config.JOBS_ENABLED
        ? 'The API runs them on this schedule.'
        : 'The API does not run them (JOBS_ENABLED=false).',
    );
    return 0;
  }
  const unknown = flags.filter((flag) => flag !== '--dry-run');
  if (!command || !isJobName(command) || unknown.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const dryRun = flags.includes('--dry-run');
  const services = await createServices(config);
  try {
    if (config.MIGRATE_ON_START) await services.db.migrateLatest();
    const outcome = await runJob(services, command, { trigger: 'manual', dryRun });
    const counts = Object.entries(outcome.counts)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    console.log(
      `${command}${dryRun ? ' (dry run: nothing written)' : ''}: ${counts || 'nothing to do'} in ${outcome.tookMs} ms`,
    );
    for (const line of outcome.lines) console.log(`  ${line}`);
    if (outcome.error) {
      console.error(`${command} failed: ${outcome.error}`);
      return 1;
    }
    return 0;
  } finally {
    await closeServices(services);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
