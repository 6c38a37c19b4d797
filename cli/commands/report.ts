import { Option, type Command } from 'commander';
import { ORGANIZATION } from '../../lib/results-table-keys';
import type { CliContext } from '../context';
import { sinceInstant } from '../duration';
import { EXIT, UsageError } from '../errors';
import { fitTable } from '../fit';
import { runHtmlReport } from '../report/html/html-report-command';
import { SCHEMA_VERSION } from '../schema-version';
import { listPostures } from '../postures';
import type { Runner } from '../program';
import { postureSummary, text } from '../render';
import {
  REPORT_COLUMNS,
  REPORT_FORMATS,
  reportCells,
  toCsv,
  toMarkdown,
  totalsOf,
  type LastAction,
  type Report,
  type ReportFormat,
  type ReportRow,
} from '../report-format';
import { OUTCOMES, queryRuns } from '../runs-query';
import { OUTPUT } from '../stack-outputs';

interface ReportFlags {
  readonly format: ReportFormat | 'html';
  readonly since: string;
  readonly out?: string;
  readonly wide?: boolean;
}

const minute = (iso: string | null | undefined) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

/** The table in 80 columns: the posture and the last action's outcome and time (--wide for who and which workflow). */
function compactCells(row: ReportRow): string[] {
  return [
    row.accountId,
    row.credentials,
    minute(row.checkedAt),
    row.lastAction?.outcome ?? '',
    minute(row.lastAction?.startedAt),
  ];
}
const COMPACT_COLUMNS = ['account', 'root credentials', 'checked (UTC)', 'last action', 'at (UTC)'];

/** Outcomes that say nothing was done or refused: "last checked" covers them, or the run is not over. */
const NOT_ACTIONS: ReadonlySet<string> = new Set(['CLEAN', 'AUDITED', 'CREDENTIALS_PRESENT', 'RUNNING']);
/** Outcomes that say something was done or refused. */
const ACTION_OUTCOMES = OUTCOMES.filter((outcome) => !NOT_ACTIONS.has(outcome));
const MAX_RUNS_PER_OUTCOME = 10_000;

async function lastActions(ctx: CliContext, table: string, since: string): Promise<Map<string, LastAction>> {
  const runs = (
    await Promise.all(
      ACTION_OUTCOMES.map((outcome) =>
        queryRuns(ctx.ddb, table, { outcome, since, limit: MAX_RUNS_PER_OUTCOME }),
      ),
    )
  ).flat();
  const latest = new Map<string, LastAction>();
  for (const run of runs) {
    const accountId = text(run.accountId);
    const startedAt = text(run.startedAt) ?? '';
    if (accountId === undefined || accountId === ORGANIZATION) continue;
    // A mistyped account id is refused as NOT_A_MEMBER: it is no account of the organization to report on.
    if (run.outcome === 'SKIPPED' && run.outcomeReason === 'NOT_A_MEMBER') continue;
    const known = latest.get(accountId);
    if (known !== undefined && known.startedAt >= startedAt) continue;
    latest.set(accountId, {
      outcome: text(run.outcome) ?? 'UNKNOWN',
      workflow: text(run.workflow) ?? null,
      startedAt,
      requestedBy: text(run.requestedBy) ?? null,
    });
  }
  return latest;
}

async function buildReport(ctx: CliContext, since: string): Promise<Report> {
  const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
  const [postures, actions] = await Promise.all([
    listPostures(ctx.ddb, table),
    lastActions(ctx, table, since),
  ]);
  const rows: ReportRow[] = postures.map((posture) => ({
    accountId: posture.accountId,
    credentialsPresent: posture.credentialsPresent,
    credentials: postureSummary(posture.posture),
    checkedAt: posture.checkedAt,
    lastAction: actions.get(posture.accountId) ?? null,
  }));
  const audited = new Set(rows.map((row) => row.accountId));
  for (const [accountId, lastAction] of actions) {
    if (!audited.has(accountId))
      rows.push({
        accountId,
        credentialsPresent: null,
        credentials: 'not audited',
        checkedAt: null,
        lastAction,
      });
  }
  rows.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return {
    generatedAt: ctx.environment.now().toISOString(),
    actionsSince: since,
    totals: totalsOf(rows),
    accounts: rows,
  };
}

export function registerReport(program: Command, run: Runner): void {
  program
    .command('report')
    .description(
      "the organization's root posture: accounts with and without root credentials, last check, last action",
    )
    .addOption(
      new Option('--format <format>', 'table, json, csv, markdown or html (html needs --out)')
        .choices([...REPORT_FORMATS, 'html'])
        .default('table'),
    )
    .option('--out <file>', 'where --format html writes its self-contained page')
    .option('--since <duration>', 'window for "last action" (a duration or a date)', '30d')
    .option('--wide', 'the table with every column (workflow, requested by, full times)')
    .addHelpText(
      'after',
      `
Examples:
  rootkeeper report
  rootkeeper report --format csv > root-posture.csv
  rootkeeper report --format markdown --since 7d
  rootkeeper report --format html --out posture.html --since 90d`,
    )
    .action((flags: ReportFlags, self: Command) =>
      run(self, async (ctx) => {
        const since = sinceInstant(flags.since, ctx.environment.now());
        if (flags.format === 'html') {
          if (flags.out === undefined) throw new UsageError('--out', 'say where to write the HTML report');
          return runHtmlReport(ctx, since, flags.out);
        }
        const report = await buildReport(ctx, since);
        const document = {
          schemaVersion: SCHEMA_VERSION,
          ok: true,
          command: 'report',
          exitCode: EXIT.DONE,
          ...report,
        };
        if (flags.format === 'json' || ctx.out.json) {
          ctx.out.result(document, (printer) => printer.line(JSON.stringify(document, null, 2)));
          return EXIT.DONE;
        }
        ctx.out.result(document, (printer) => {
          if (flags.format === 'csv') return printer.line(toCsv(report).trimEnd());
          if (flags.format === 'markdown') return printer.line(toMarkdown(report).trimEnd());
          const { totals } = report;
          printer.line(
            `${totals.accounts} account(s): ${printer.colors.red(`${totals.withCredentials} with root credentials`)}, ` +
              `${totals.withoutCredentials} without, ${totals.notAudited} not audited`,
          );
          if (totals.keysInUse > 0)
            printer.line(
              printer.colors.yellow(
                `${totals.keysInUse} account(s) KEY_IN_USE: root access keys used recently were kept (rootkeeper history --outcome KEY_IN_USE)`,
              ),
            );
          if (report.accounts.length === 0) return;
          if (flags.wide === true) return printer.table(REPORT_COLUMNS, report.accounts.map(reportCells));
          const lines = fitTable(COMPACT_COLUMNS, report.accounts.map(compactCells), {
            width: ctx.terminalWidth,
            shrinkable: [1, 3],
          });
          for (const line of lines) printer.line(line);
        });
        return EXIT.DONE;
      }),
    );
}
