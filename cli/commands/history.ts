import type { Command } from 'commander';
import { sinceInstant } from '../duration';
import { EXIT, UsageError } from '../errors';
import type { Runner } from '../program';
import { colorOutcome, text } from '../render';
import { accountFlag } from '../request-flags';
import { OUTCOMES, queryRuns } from '../runs-query';
import { OUTPUT } from '../stack-outputs';

interface HistoryFlags {
  readonly account?: string;
  readonly outcome?: string;
  readonly since?: string;
  readonly limit: string;
}

function outcomeFlag(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const outcome = value.trim().toUpperCase();
  if (!(OUTCOMES as readonly string[]).includes(outcome)) {
    throw new UsageError('--outcome', `must be one of ${OUTCOMES.join(', ')}, got "${value}"`);
  }
  return outcome;
}

function limitFlag(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError('--limit', 'must be a whole number from 1 to 10000');
  return limit;
}

export function registerHistory(program: Command, run: Runner): void {
  program
    .command('history')
    .description('recorded runs, newest first')
    .option('--account <id>', 'runs of one account')
    .option('--outcome <outcome>', `only this outcome (${OUTCOMES.join(', ')})`)
    .option('--since <duration>', 'only runs started since then: 12h, 7d, 2w or a date (2026-11-17)')
    .option('--limit <n>', 'at most this many runs', '50')
    .addHelpText(
      'after',
      `
Examples:
  rootkeeper history --account 111122223333
  rootkeeper history --outcome FAILED --since 7d
  rootkeeper history --since 24h --output json`,
    )
    .action((flags: HistoryFlags, self: Command) =>
      run(self, async (ctx) => {
        const accountId = flags.account === undefined ? undefined : accountFlag(flags.account);
        const outcome = outcomeFlag(flags.outcome);
        const since =
          flags.since === undefined ? undefined : sinceInstant(flags.since, ctx.environment.now());
        const limit = limitFlag(flags.limit);
        const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
        const runs = await queryRuns(ctx.ddb, table, { accountId, outcome, since, limit });
        const filters = {
          accountId: accountId ?? null,
          outcome: outcome ?? null,
          since: since ?? null,
          limit,
        };
        ctx.out.result(
          { ok: true, command: 'history', exitCode: EXIT.DONE, filters, count: runs.length, runs },
          (printer) => {
            if (runs.length === 0) {
              printer.line('No runs recorded for these filters.');
              return;
            }
            printer.table(
              ['started', 'account', 'workflow', 'outcome', 'requested by', 'reason', 'ticket'],
              runs.map((row) => [
                text(row.startedAt) ?? '',
                text(row.accountId) ?? '',
                text(row.workflow) ?? '',
                colorOutcome(printer.colors, text(row.outcome)),
                text(row.requestedBy) ?? '',
                text(row.reason) ?? '',
                text(row.ticket) ?? '',
              ]),
            );
          },
        );
        return EXIT.DONE;
      }),
    );
}
