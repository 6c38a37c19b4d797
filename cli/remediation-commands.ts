import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../lambdas/root-access/errors';
import { parseRemediationPlan } from '../lambdas/root-access/plan-document';
import type { RemediationPlan } from '../lambdas/root-access/remediation-plan';
import { MAX_SOAK_SECONDS, REMEDIATION_RUN_DEFAULTS } from '../lambdas/root-access/remediation-progress';
import { keysInUseDeleted } from '../lambdas/root-access/saved-plan';
import { validateReason, validateTicket } from '../lambdas/root-access/validation';
import { refusal } from './approval-commands';
import { CONFIRM_KEYS_IN_USE_FLAG } from './commands/delete-root-credentials';
import { executionOfRun } from './approval-requests';
import { confirmAction } from './confirm';
import { requestGoAhead } from './decision-client';
import type { CliContext } from './context';
import { parseDuration } from './duration';
import { CliError, EXIT, UsageError, type ExitCode } from './errors';
import { timestampedExecutionName } from './execution-name';
import { checkFlag } from './flags';
import { pendingGoAheadOf, readRunProgress, savePlan } from './remediation-run';
import { RUN_SCHEMA_VERSION } from './run-record';
import { OUTPUT } from './stack-outputs';
import { startOrAttach } from './workflow';

/**
 * `rootkeeper remediate --execute PLAN.json | --continue RUN | --status RUN`:
 * run a reviewed plan with the Remediate organization workflow, give the
 * go-ahead between its waves, and follow its progress by wave.
 */

export interface ExecuteFlags {
  readonly yes?: boolean;
  /** Repeats the number of keys in use the plan deletes: the second confirmation in a script. */
  readonly confirmKeysInUse?: string;
  readonly soak?: string;
  readonly failureThreshold?: string;
  readonly reason?: string;
  readonly ticket?: string;
}

/** The plan file, read and checked: a clear error naming the field, nothing stored or started. */
function readPlanFile(path: string, cwd: string): RemediationPlan {
  let text: string;
  try {
    text = readFileSync(path.startsWith('/') ? path : `${cwd}/${path}`, 'utf8');
  } catch (error) {
    throw new UsageError('--execute', `cannot read ${path}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError('--execute', `${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseRemediationPlan(document);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new UsageError('--execute', `${path}: ${error.message}`);
    throw error;
  }
}

function thresholdFlag(value: string | undefined): number {
  if (value === undefined) return REMEDIATION_RUN_DEFAULTS.failureThresholdPercent;
  const number = Number(value.replace(/%$/, ''));
  if (!Number.isInteger(number) || number < 0 || number > 100)
    throw new UsageError('--failure-threshold', `must be a whole percentage from 0 to 100, got ${value}`);
  return number;
}

function soakFlag(value: string | undefined): number {
  if (value === undefined) return REMEDIATION_RUN_DEFAULTS.soakSeconds;
  const seconds = Math.round(parseDuration(value, '--soak') / 1000);
  if (seconds < 1 || seconds > MAX_SOAK_SECONDS)
    throw new UsageError('--soak', `must be from 1s to ${MAX_SOAK_SECONDS / 3600}h, got ${value}`);
  return seconds;
}

/**
 * A plan that deletes keys in use is confirmed apart from the plan: `--yes`
 * alone never does it; a script repeats the number of those keys.
 */
function checkKeysInUseFlag(value: string | undefined, count: number): void {
  if (value === undefined) return;
  if (count === 0)
    throw new UsageError(CONFIRM_KEYS_IN_USE_FLAG, 'the plan deletes no key in use: nothing to confirm');
  if (value !== String(count))
    throw new UsageError(
      CONFIRM_KEYS_IN_USE_FLAG,
      `must repeat the number of keys in use the plan deletes, ${count}, got "${value}"`,
    );
}

/** One line per wave: accounts, deletions (irreversible), keys kept. */
function waveLines(plan: RemediationPlan): string[] {
  return plan.waves.map((wave) => {
    const deletions = wave.accounts.flatMap((account) => account.deletions);
    const irreversible = deletions.filter((deletion) => deletion.irreversible).length;
    const kept = wave.accounts.reduce((total, account) => total + account.keptKeys.length, 0);
    const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
    return `wave ${wave.number} (${wave.kind}): ${plural(wave.accounts.length, 'account')}, ${plural(deletions.length, 'deletion')} (${irreversible} irreversible)${kept > 0 ? `, ${plural(kept, 'key')} in use kept` : ''}`;
  });
}

async function remediationArn(ctx: CliContext): Promise<string> {
  return (await ctx.outputs()).require(OUTPUT.remediateOrganization);
}

async function executionOf(ctx: CliContext, run: string): Promise<string> {
  const executionArn = await executionOfRun(ctx.sfn, run, [await remediationArn(ctx)]);
  if (executionArn === undefined) throw new UsageError('RUN', `no Remediate organization run ${run}`);
  return executionArn;
}

export async function executePlan(ctx: CliContext, path: string, flags: ExecuteFlags): Promise<ExitCode> {
  const plan = readPlanFile(path, ctx.environment.cwd);
  const soakSeconds = soakFlag(flags.soak);
  const failureThresholdPercent = thresholdFlag(flags.failureThreshold);
  const reason = checkFlag(() => validateReason(flags.reason, { required: true }), '--reason') ?? '';
  const ticket = checkFlag(() => validateTicket(flags.ticket), '--ticket');
  const stateMachineArn = await remediationArn(ctx);
  const outputs = await ctx.outputs();
  const tableName = outputs.require(OUTPUT.resultsTable);
  const requestedBy = await ctx.requestedBy();
  const accounts = plan.waves.reduce((total, wave) => total + wave.accounts.length, 0);
  const run = timestampedExecutionName(
    { command: 'remediate', args: { plan: plan.createdAt, accounts }, reason, ticket, requestedBy },
    ctx.environment.now(),
  );
  const { colors } = ctx.out;
  ctx.out.note(colors.bold(`Remediate organization: ${accounts} accounts in ${plan.waves.length} waves`));
  for (const line of waveLines(plan)) ctx.out.note(`  ${line}`);
  ctx.out.note(
    `  ${colors.dim('between waves')}  ${soakSeconds > 0 ? `soak ${flags.soak}, then go on` : 'wait for rootkeeper remediate --continue'}`,
  );
  ctx.out.note(`  ${colors.dim('stop when')}      more than ${failureThresholdPercent} % of a wave fails`);
  ctx.out.note(`  ${colors.dim('run id')}         ${run}`);
  const keysInUse = plan.waves.flatMap((wave) => wave.accounts.flatMap(keysInUseDeleted));
  checkKeysInUseFlag(flags.confirmKeysInUse, keysInUse.length);
  if (keysInUse.length > 0)
    ctx.out.note(
      colors.red(
        `  deletes ${keysInUse.length} root access key(s) in use: ${keysInUse.join(', ')} (with approvals on, the first wave waits for an approver's go-ahead)`,
      ),
    );
  let answer = await confirmAction('Run this plan: go ahead?', {
    yes: flags.yes === true,
    interactive: ctx.environment.stdinIsTTY,
    prompt: ctx.environment.prompt,
  });
  if (answer !== 'declined' && keysInUse.length > 0) {
    answer = await confirmAction(
      `Also delete ${keysInUse.length} root access key(s) used recently (in use)? Whatever uses them stops working, and a deleted key cannot be restored.`,
      {
        yes: flags.confirmKeysInUse === String(keysInUse.length),
        interactive: ctx.environment.stdinIsTTY,
        prompt: ctx.environment.prompt,
        flag: `${CONFIRM_KEYS_IN_USE_FLAG} ${keysInUse.length}`,
      },
    );
  }
  if (answer === 'declined') {
    ctx.out.result(
      {
        schemaVersion: RUN_SCHEMA_VERSION,
        ok: false,
        command: 'remediate',
        exitCode: EXIT.NOT_REACHED,
        declined: true,
      },
      (printer) => printer.line('Nothing done: not confirmed.'),
    );
    return EXIT.NOT_REACHED;
  }
  const saved = await savePlan(ctx.ddb, tableName, run, plan);
  const started = await startOrAttach(ctx.sfn, {
    stateMachineArn,
    name: run,
    input: {
      requestedBy,
      reason,
      ...(ticket === undefined ? {} : { ticket }),
      soakSeconds,
      failureThresholdPercent,
    },
  });
  const status = ctx.commandLine(`remediate --status ${run}`);
  const next = ctx.commandLine(`remediate --continue ${run} --reason "<why>"`);
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: true,
      command: 'remediate',
      exitCode: EXIT.DONE,
      execution: { name: run, arn: started.executionArn, status: 'RUNNING' },
      accountsSaved: saved,
      waves: plan.waves.length,
      status,
    },
    (printer) => {
      printer.line(`Started Remediate organization: ${started.executionArn}`);
      printer.line(printer.colors.dim(`Progress: ${status}`));
      if (soakSeconds === 0) printer.line(printer.colors.dim(`After each wave: ${next}`));
    },
  );
  return EXIT.DONE;
}

/**
 * `remediate --continue RUN`: the go-ahead goes through the Decide approval
 * function (a signed request to its URL), which checks who gives it, records
 * it once per wave and alone answers the run; the run refuses any other.
 */
export async function continueRun(ctx: CliContext, run: string, reasonFlag: unknown): Promise<ExitCode> {
  const reason = checkFlag(() => validateReason(reasonFlag, { required: false }), '--reason') ?? '';
  const executionArn = await executionOf(ctx, run);
  const pending = await pendingGoAheadOf(ctx.sfn, executionArn);
  if (pending === undefined) {
    throw new CliError(
      `${run} is not waiting for a go-ahead (a wave is running, or the run ended)`,
      EXIT.NOT_REACHED,
      'not-reached',
    );
  }
  const functionUrl = (await ctx.outputs()).require(OUTPUT.decideApprovalUrl);
  const given = await requestGoAhead(ctx.sfn, functionUrl, { executionArn, reason }).catch(refusal);
  const goAhead = { by: given.by, at: given.at, reason: given.reason, wave: given.wave };
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: true,
      command: 'remediate',
      exitCode: EXIT.DONE,
      run,
      goAhead,
    },
    (printer) =>
      printer.line(`Go-ahead given by ${given.by}: wave ${String(given.wave)} of ${run} starts now.`),
  );
  return EXIT.DONE;
}

export async function showStatus(ctx: CliContext, run: string): Promise<ExitCode> {
  const executionArn = await executionOf(ctx, run);
  const tableName = (await ctx.outputs()).require(OUTPUT.resultsTable);
  const progress = await readRunProgress(ctx.ddb, tableName, run, executionArn);
  if (progress === undefined) throw new UsageError('RUN', `no saved plan for ${run}`);
  const waiting = (await pendingGoAheadOf(ctx.sfn, executionArn)) !== undefined;
  const state = waiting ? 'WAITING_FOR_GO_AHEAD' : (progress.outcome ?? 'RUNNING');
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: true,
      command: 'remediate',
      exitCode: EXIT.DONE,
      run,
      executionArn,
      state,
      ...(progress.outcomeReason === undefined ? {} : { reason: progress.outcomeReason }),
      totals: progress.totals,
      waves: progress.waves,
      goAheads: progress.goAheads,
    },
    (printer) => {
      printer.line(`${run}: ${state}${progress.outcomeReason ? ` (${progress.outcomeReason})` : ''}`);
      printer.table(
        ['wave', 'kind', 'accounts', 'done', 'skipped', 'failed', 'not reached', 'keys kept'],
        progress.waves.map((wave) => [
          String(wave.number),
          wave.kind,
          String(wave.accounts),
          String(wave.done.length),
          String(wave.skipped.length),
          String(wave.failed.length),
          String(wave.notReached.length),
          String(wave.keptKeys.length),
        ]),
      );
      const { totals } = progress;
      printer.line(
        `total: ${totals.accounts} accounts, ${totals.done} done, ${totals.skipped} skipped, ${totals.failed} failed, ${totals.notReached} not reached, ${totals.accountsWithKeysKept} with keys in use kept`,
      );
      for (const goAhead of progress.goAheads) printer.line(printer.colors.dim(goAhead));
      if (waiting)
        printer.line(
          printer.colors.dim(`Next: ${ctx.commandLine(`remediate --continue ${run} --reason "<why>"`)}`),
        );
    },
  );
  return EXIT.DONE;
}
