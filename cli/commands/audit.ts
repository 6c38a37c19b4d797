import type { Command } from 'commander';
import { validateReason } from '../../lambdas/root-access/validation';
import { UsageError } from '../errors';
import { checkFlag } from '../flags';
import type { Printer } from '../output';
import { getPostures, listPostures, type PostureRow } from '../postures';
import type { Runner } from '../program';
import { postureSummary } from '../render';
import { accountFlag, addWaitFlags, type RequestFlags } from '../request-flags';
import { runWorkflow } from '../run-workflow';
import type { Item } from '../run-record';
import { OUTPUT } from '../stack-outputs';

interface AuditFlags extends RequestFlags {
  readonly account?: string[];
  readonly all?: boolean;
  readonly wide?: boolean;
}

/**
 * Summary first: the counts, then one row per account only when asked
 * (--wide) or when the audit named its accounts; `audit --all` would
 * otherwise print the whole organization.
 */
function printPostures(printer: Printer, rows: readonly PostureRow[], perAccount: boolean): void {
  const withCredentials = rows.filter((row) => row.credentialsPresent === true);
  printer.line();
  printer.line(`${rows.length} account(s) recorded, ${withCredentials.length} with root credentials`);
  if (!perAccount) {
    if (rows.length > 0) printer.line(printer.colors.dim('one row per account: add --wide'));
    return;
  }
  const shown = rows;
  if (shown.length === 0) return;
  printer.table(
    ['account', 'root credentials', 'checked at'],
    shown.map((row) => [
      row.accountId,
      row.credentialsPresent === true
        ? printer.colors.red(postureSummary(row.posture))
        : postureSummary(row.posture),
      row.checkedAt ?? '—',
    ]),
  );
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The summary run's counters, in words: "audited 25, clean 20, with root credentials 4, failed 1". */
function countersOf(run: Item | null): string | undefined {
  if (run === null) return undefined;
  const audited = numberOf(run.audited);
  if (audited === undefined) return undefined;
  const parts = [
    `audited ${audited}`,
    `clean ${numberOf(run.clean) ?? 0}`,
    `with root credentials ${numberOf(run.withCredentials) ?? 0}`,
    `failed ${numberOf(run.failed) ?? 0}`,
  ];
  const firstSeen = numberOf(run.firstSeen);
  if (firstSeen !== undefined && firstSeen > 0) parts.push(`first seen ${firstSeen}`);
  return parts.join(', ');
}

export function registerAudit(program: Command, run: Runner): void {
  const command = program
    .command('audit')
    .description('audit the root credentials of one, several or every member account')
    .option('--account <id...>', 'account(s) to audit (repeat or list several)')
    .option('--all', 'audit every eligible member account (progress in accounts)')
    .option('--wide', 'with --all: one row per account after the counts')
    .option('--reason <text>', 'why (optional; recorded)');
  addWaitFlags(command, '60m').addHelpText(
    'after',
    `
Examples:
  rootkeeper audit --account 111122223333
  rootkeeper audit --account 111122223333 444455556666 --output json
  rootkeeper audit --all
  rootkeeper audit --all --wide`,
  );
  command.action((flags: AuditFlags, self: Command) =>
    run(self, async (ctx) => {
      const accounts = [...new Set((flags.account ?? []).map((id) => accountFlag(id)))];
      if (flags.all === true && accounts.length > 0)
        throw new UsageError('--all', 'cannot be combined with --account');
      if (flags.all !== true && accounts.length === 0)
        throw new UsageError('--account | --all', 'say which accounts to audit');
      const reason = checkFlag(() => validateReason(flags.reason, { required: false }), '--reason');
      const all = flags.all === true;
      return runWorkflow(
        ctx,
        {
          command: 'audit',
          workflow: OUTPUT.auditOrganization,
          title: all ? 'Audit organization' : 'Audit accounts',
          accountId: accounts.length === 1 ? accounts[0] : undefined,
          input: { ...(all ? {} : { accountIds: accounts }), ...(reason !== undefined ? { reason } : {}) },
          nameArgs: { accountIds: all ? 'ALL' : accounts },
          plan: [
            ['accounts', all ? 'every eligible member account' : accounts.join(', ')],
            ['reason', reason],
          ],
          mutating: false,
          timestamped: true,
          watchAudit: all,
        },
        flags,
        {
          enrich: async ({ document }) => {
            // Still running after --timeout: the postures recorded are an
            // earlier audit's, not this one's result.
            if ((document.execution as { status?: unknown }).status === 'RUNNING') return {};
            const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
            const postures = all
              ? await listPostures(ctx.ddb, table)
              : await getPostures(ctx.ddb, table, accounts);
            return { postures };
          },
          render: (printer, document) => {
            const totals = countersOf(document.run as Item | null);
            if (totals !== undefined) printer.line(`\n${totals}`);
            if (Array.isArray(document.postures))
              printPostures(printer, document.postures as PostureRow[], !all || flags.wide === true);
          },
          shortfall: (run) => {
            const failed = (numberOf(run?.failed) ?? 0) + (numberOf(run?.failedShards) ?? 0);
            return failed > 0
              ? `${countersOf(run ?? null) ?? `${failed} failure(s)`}: see history --outcome FAILED`
              : undefined;
          },
        },
      );
    }),
  );
}
