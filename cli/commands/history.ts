import type { Command } from 'commander';
import { sinceInstant } from '../duration';
import { EXIT, UsageError } from '../errors';
import { fitTable } from '../fit';
import type { Runner } from '../program';
import { colorOutcome, text } from '../render';
import { accountFlag } from '../request-flags';
import { normalizeRun, RUN_SCHEMA_VERSION, type NormalizedRun } from '../run-record';
import { OUTCOMES, queryRuns } from '../runs-query';
import { OUTPUT } from '../stack-outputs';
import { PLANNED_OUTCOME } from '../../lib/results-table-keys';

interface HistoryFlags {
  readonly account?: string;
  readonly outcome?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit: string;
  readonly wide?: boolean;
  readonly includePlans?: boolean;
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

/** The workflow in a word or two, for the compact table. */
const SHORT_WORKFLOW: Readonly<Record<string, string>> = {
  SecureNewAccount: 'secure',
  AuditOrganization: 'audit',
  DeleteRootCredentials: 'delete',
  UnlockS3BucketPolicy: 'unlock-s3',
  UnlockSqsQueuePolicy: 'unlock-sqs',
  EnableAccountRecovery: 'recovery',
};

/** "2026-11-29 19:56": minutes are enough to find a run; `show RUN` has the rest. */
function minute(iso: string | null): string {
  return iso === null ? '' : iso.slice(0, 16).replace('T', ' ');
}

const COMPACT_HEAD = ['started (UTC)', 'account', 'workflow', 'target', 'outcome', 'error'];
const OUTCOME_COLUMN = 4;

function compactRow(run: NormalizedRun): string[] {
  return [
    minute(run.startedAt),
    run.accountId ?? '',
    SHORT_WORKFLOW[run.workflow ?? ''] ?? run.workflow ?? '',
    run.target ?? '',
    run.outcome ?? '',
    run.error?.name ?? '',
  ];
}

function wideRow(run: NormalizedRun): string[] {
  return [
    run.startedAt ?? '',
    run.accountId ?? '',
    run.workflow ?? '',
    run.target ?? '',
    run.outcome ?? '',
    run.error === null ? '' : `${run.error.name}: ${run.error.message}`,
    run.requestedBy ?? '',
    run.reason ?? '',
    run.ticket ?? '',
    run.runId ?? '',
  ];
}

export function registerHistory(program: Command, run: Runner): void {
  program
    .command('history')
    .description('recorded runs, newest first (80 columns; --wide or `rootkeeper show RUN` for details)')
    .option('--account <id>', 'runs of one account')
    .option('--outcome <outcome>', `only this outcome (${OUTCOMES.join(', ')})`)
    .option('--since <when>', 'only runs started since then: 12h, 7d, 2w or a date (2026-11-17)')
    .option('--until <when>', 'only runs started before then: 12h (ago), 7d, or a date (2026-11-24)')
    .option('--limit <n>', 'at most this many runs', '50')
    .option('--wide', 'every column: requested by, reason, ticket, run id, the error message')
    .option(
      '--include-plans',
      'also the PLANNED runs: dry runs, and the plan read before each root action (left out by default)',
    )
    .addHelpText(
      'after',
      `
Examples:
  rootkeeper history --account 111122223333 --since 14d --until 7d
  rootkeeper history --outcome FAILED --since 7d
  rootkeeper history --since 24h --output json
  rootkeeper history --account 111122223333 --include-plans`,
    )
    .action((flags: HistoryFlags, self: Command) =>
      run(self, async (ctx) => {
        const accountId = flags.account === undefined ? undefined : accountFlag(flags.account);
        const outcome = outcomeFlag(flags.outcome);
        const now = ctx.environment.now();
        const since = flags.since === undefined ? undefined : sinceInstant(flags.since, now);
        const until = flags.until === undefined ? undefined : sinceInstant(flags.until, now, '--until');
        if (since !== undefined && until !== undefined && until <= since) {
          throw new UsageError('--until', `must be after --since (${since})`);
        }
        const limit = limitFlag(flags.limit);
        const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
        // --outcome PLANNED asks for the plans themselves.
        const includePlans = flags.includePlans === true || outcome === PLANNED_OUTCOME;
        const items = await queryRuns(ctx.ddb, table, {
          accountId,
          outcome,
          since,
          until,
          limit,
          includePlans,
        });
        const runs = items.map((item) => normalizeRun(item));
        const filters = {
          accountId: accountId ?? null,
          outcome: outcome ?? null,
          since: since ?? null,
          until: until ?? null,
          limit,
          includePlans,
        };
        ctx.out.result(
          {
            schemaVersion: RUN_SCHEMA_VERSION,
            ok: true,
            command: 'history',
            exitCode: EXIT.DONE,
            filters,
            count: runs.length,
            runs,
          },
          (printer) => {
            const plansNote = includePlans
              ? undefined
              : printer.colors.dim('PLANNED runs (dry runs, plans shown) left out: --include-plans');
            if (runs.length === 0) {
              printer.line('No runs recorded for these filters.');
              if (plansNote !== undefined) printer.line(plansNote);
              return;
            }
            if (flags.wide === true) {
              printer.table(
                [
                  'started',
                  'account',
                  'workflow',
                  'target',
                  'outcome',
                  'error',
                  'requested by',
                  'reason',
                  'ticket',
                  'run id',
                ],
                runs.map(wideRow),
              );
              if (plansNote !== undefined) printer.line(plansNote);
              return;
            }
            const lines = fitTable(COMPACT_HEAD, runs.map(compactRow), {
              width: ctx.terminalWidth,
              shrinkable: [5, 3, 2],
              decorate: (column, padded) =>
                column === OUTCOME_COLUMN
                  ? padded.replace(padded.trim(), colorOutcome(printer.colors, text(padded.trim())))
                  : padded,
            });
            for (const line of lines) printer.line(line);
            printer.line(printer.colors.dim(`Details: ${ctx.commandLine('show RUN')} (run ids with --wide)`));
            if (plansNote !== undefined) printer.line(plansNote);
          },
        );
        return EXIT.DONE;
      }),
    );
}
