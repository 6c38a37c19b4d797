import { auditProgress } from './audit-progress';
import type { CliContext } from './context';
import { EXIT, UsageError, type ExitCode } from './errors';
import { timestampedExecutionName } from './execution-name';
import { cut, fitTable } from './fit';
import type { Printer } from './output';
import { getPostures, listPostures, type PostureRow } from './postures';
import { startProgress } from './progress';
import { describeKeptKey } from './render';
import { resolveScope, type ScopeRequest } from './remediation-scope';
import { OUTPUT } from './stack-outputs';
import { startOrAttach, waitForExecution } from './workflow';
import type { Posture } from '../lambdas/root-access/posture';
import type {
  PlannedAccount,
  RemediationPlan,
  RemediationPlanSettings,
} from '../lambdas/root-access/remediation-plan';
import {
  buildRemediationPlan,
  stalePostures,
  type RecordedPosture,
} from '../lambdas/root-access/remediation-planning';

/**
 * `rootkeeper remediate --plan`: reads the recorded postures of the accounts
 * in scope, re-audits those missing or older than --max-posture-age-hours
 * (the Audit organization workflow, waited for), builds the plan and prints
 * it per wave, or as the plan document with --output json.
 */

export interface PlanRequest {
  readonly scope: ScopeRequest;
  readonly settings: RemediationPlanSettings;
  readonly timeoutMs: number;
}

function recordedPosture(row: PostureRow): RecordedPosture | undefined {
  const posture = row.posture;
  if (typeof posture !== 'object' || posture === null || row.checkedAt === null) return undefined;
  return { accountId: row.accountId, posture: posture as Posture, recordedAt: row.checkedAt };
}

async function readPostures(
  ctx: CliContext,
  table: string,
  request: ScopeRequest,
  accountIds: readonly string[],
): Promise<Map<string, RecordedPosture>> {
  const wanted = new Set(accountIds);
  // The whole organization: one paginated query beats a read per account.
  const rows =
    'all' in request ? await listPostures(ctx.ddb, table) : await getPostures(ctx.ddb, table, accountIds);
  const postures = new Map<string, RecordedPosture>();
  for (const row of rows) {
    const posture = recordedPosture(row);
    if (posture !== undefined && wanted.has(row.accountId)) postures.set(row.accountId, posture);
  }
  return postures;
}

/** Starts the Audit organization workflow for the accounts (all: the whole organization) and waits for it. */
async function reaudit(
  ctx: CliContext,
  accountIds: readonly string[] | 'all',
  timeoutMs: number,
  maxAgeHours: number,
): Promise<void> {
  const stateMachineArn = (await ctx.outputs()).require(OUTPUT.auditOrganization);
  const requestedBy = await ctx.requestedBy();
  const reason = `remediation plan: postures missing or older than ${maxAgeHours} h`;
  const name = timestampedExecutionName(
    {
      command: 'remediate-plan-audit',
      args: { accountIds: accountIds === 'all' ? 'ALL' : accountIds },
      reason,
      requestedBy,
    },
    ctx.environment.now(),
  );
  const input = { ...(accountIds === 'all' ? {} : { accountIds }), requestedBy, reason };
  const count = accountIds === 'all' ? 'every' : String(accountIds.length);
  ctx.out.note(`Auditing ${count} account(s) whose posture is missing or too old: ${name}`);
  const started = await startOrAttach(ctx.sfn, { stateMachineArn, name, input });
  const progress = startProgress(ctx.out, 'Audit organization');
  try {
    const description = await waitForExecution(ctx.sfn, started.executionArn, {
      pollIntervalMs: ctx.pollIntervalMs,
      timeoutMs,
      progress,
      moreProgress: auditProgress(ctx, started.executionArn),
    });
    if (description.status !== 'SUCCEEDED') {
      // The plan is still built: accounts left without a fresh posture are listed as not planned.
      ctx.out.warn(
        `The audit ${name} ended ${description.status ?? 'UNKNOWN'}; stale postures are not planned.`,
      );
    }
  } finally {
    progress.stop();
  }
}

async function buildPlan(ctx: CliContext, request: PlanRequest): Promise<RemediationPlan> {
  const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
  const { scope, candidates, excluded } = await resolveScope(ctx, request.scope);
  const now = ctx.environment.now();
  let postures = await readPostures(ctx, table, request.scope, candidates);
  const missing = candidates.filter((accountId) => !postures.has(accountId));
  const stale = stalePostures([...postures.values()], request.settings.maxPostureAgeHours, now);
  const toAudit = [...missing, ...stale].sort();
  if (toAudit.length > 0) {
    await reaudit(
      ctx,
      'all' in request.scope ? 'all' : toAudit,
      request.timeoutMs,
      request.settings.maxPostureAgeHours,
    );
    postures = await readPostures(ctx, table, request.scope, candidates);
  }
  const notAudited = candidates
    .filter((accountId) => !postures.has(accountId))
    .map((accountId) => ({
      accountId,
      reason: 'NOT_AUDITED: the audit records no posture for it (protected, or not eligible: see history)',
    }));
  return buildRemediationPlan({
    scope,
    settings: request.settings,
    // Ages are judged when the command started: a posture the audit just recorded is fresh by definition.
    now,
    postures: [...postures.values()],
    notPlanned: [...excluded, ...notAudited],
  });
}

const IRREVERSIBLE = '*';

/** "password, key AKIA...*, virtual MFA*": what the account loses, irreversible parts starred. */
function deletionsInWords(account: PlannedAccount): string {
  const words: Record<PlannedAccount['deletions'][number]['action'], string> = {
    DeleteLoginProfile: 'password',
    DeleteAccessKey: 'key',
    DeleteSigningCertificate: 'certificate',
    DeactivateMFADevice: 'MFA off',
    DeleteVirtualMFADevice: 'virtual MFA',
  };
  return account.deletions
    .map((deletion) => {
      const target = deletion.action === 'DeleteAccessKey' && deletion.target ? ` ${deletion.target}` : '';
      return `${words[deletion.action]}${target}${deletion.irreversible ? IRREVERSIBLE : ''}`;
    })
    .join(', ');
}

function summaryOf(plan: RemediationPlan): string {
  const accounts = plan.waves.reduce((sum, wave) => sum + wave.accounts.length, 0);
  const kept = plan.waves.reduce(
    (sum, wave) => sum + wave.accounts.reduce((inner, account) => inner + account.keptKeys.length, 0),
    0,
  );
  return `${accounts} account(s), ${plan.waves.length} wave(s), ${kept} key(s) in use kept, ${plan.notPlanned.length} not planned`;
}

function printPlan(printer: Printer, plan: RemediationPlan, width: number): void {
  const { colors } = printer;
  const { settings } = plan;
  printer.line(colors.bold(`Remediation plan: ${summaryOf(plan)}`));
  printer.line(
    `keys in use: used within ${settings.keyInUseDays} day(s), ${settings.includeKeysInUse ? colors.red('DELETED (included)') : 'kept'}; ` +
      `canary ${settings.canaryWaveSizes.join(',') || 'none'}; waves of ${settings.wavePercent} %`,
  );
  for (const wave of plan.waves) {
    printer.line();
    printer.line(colors.bold(`Wave ${wave.number} (${wave.kind}, ${wave.accounts.length} account(s))`));
    const rows = wave.accounts.map((account) => [account.accountId, deletionsInWords(account)]);
    const [head, ...lines] = fitTable(['account', 'deletes'], rows, { width, shrinkable: [1] });
    printer.line(`  ${head ?? ''}`);
    wave.accounts.forEach((account, index) => {
      printer.line(`  ${lines[index] ?? ''}`);
      // Under the account, one line per risk and per kept key: read before the go-ahead.
      for (const risk of account.risks)
        printer.line(colors.yellow(cut(`  ! ${risk.kind} ${risk.target}: ${risk.detail}`, width + 2)));
      for (const key of account.keptKeys) printer.line(cut(`  keeps ${describeKeptKey(key)}`, width + 2));
    });
  }
  printer.line();
  printer.line(`${IRREVERSIBLE} irreversible: nothing brings it back once deleted`);
  if (plan.notPlanned.length > 0) {
    printer.line();
    printer.line(colors.bold(`Not planned (${plan.notPlanned.length})`));
    const rows = plan.notPlanned.map((row) => [row.accountId, row.reason]);
    for (const line of fitTable(['account', 'why'], rows, { width, shrinkable: [1] }))
      printer.line(`  ${line}`);
  }
  printer.line();
  printer.line(colors.dim('Save it for review with --output json > plan.json'));
}

export async function runPlan(ctx: CliContext, request: PlanRequest): Promise<ExitCode> {
  if (request.timeoutMs <= 0) throw new UsageError('--timeout', 'must be a positive duration');
  const plan = await buildPlan(ctx, request);
  // The plan document itself, with the fields every --output json document carries.
  const document = { ...plan, ok: true, command: 'remediate', exitCode: EXIT.DONE };
  ctx.out.result(document, (printer) => printPlan(printer, plan, ctx.terminalWidth - 2));
  return EXIT.DONE;
}
