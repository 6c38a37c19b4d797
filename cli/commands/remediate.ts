import type { Command } from 'commander';
import type { CliContext } from '../context';
import { continueRun, executePlan, showStatus, type ExecuteFlags } from '../remediation-commands';
import { OU_ID_PATTERN } from '../../lambdas/root-access/id-patterns';
import { DEFAULT_KEY_IN_USE_DAYS } from '../../lambdas/root-access/remediation-plan';
import {
  DEFAULT_CANARY_WAVE_SIZES,
  DEFAULT_MAX_POSTURE_AGE_HOURS,
  DEFAULT_WAVE_PERCENT,
  validatePlanSettings,
} from '../../lambdas/root-access/remediation-planning';
import { parseDuration } from '../duration';
import { CONFIRM_KEYS_IN_USE_FLAG } from './delete-root-credentials';
import { UsageError } from '../errors';
import { checkFlag } from '../flags';
import type { Runner } from '../program';
import { runPlan } from '../remediation-plan-output';
import type { ScopeRequest } from '../remediation-scope';
import { accountFlag } from '../request-flags';

/**
 * `rootkeeper remediate`: organization-wide remediation in waves. `--plan`
 * prints what would be done (cli/remediation-plan-output.ts); `--execute`
 * runs a saved plan, `--continue` gives the go-ahead for the next wave and
 * `--status` follows a run (cli/remediation-commands.ts).
 */

export interface RemediateFlags extends ExecuteFlags {
  readonly execute?: string;
  readonly continue?: string;
  readonly status?: string;
  readonly all?: boolean;
  readonly ou?: string[];
  readonly account?: string[];
  readonly plan?: boolean;
  readonly keyInUseDays: string;
  readonly includeKeysInUse?: boolean;
  readonly canary: string;
  readonly wavePercent: string;
  readonly maxPostureAgeHours: string;
  readonly timeout: string;
}

function wholeNumber(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number)) {
    throw new UsageError(flag, `must be a whole number, got "${value}"`);
  }
  return number;
}

/** --all, --ou or --account: exactly one. */
function scopeOf(flags: RemediateFlags): ScopeRequest {
  const given = [flags.all === true, (flags.ou ?? []).length > 0, (flags.account ?? []).length > 0];
  if (given.filter(Boolean).length !== 1) {
    throw new UsageError('--all | --ou | --account', 'say exactly one: every account, OUs, or accounts');
  }
  if (flags.all === true) return { all: true };
  if (flags.ou !== undefined && flags.ou.length > 0) {
    const bad = flags.ou.find((id) => !OU_ID_PATTERN.test(id));
    if (bad !== undefined) throw new UsageError('--ou', `"${bad}" is not an OU id (ou-xxxx-xxxxxxxx)`);
    return { organizationalUnitIds: [...new Set(flags.ou)] };
  }
  return { accountIds: [...new Set((flags.account ?? []).map((id) => accountFlag(id)))] };
}

function planSettingsOf(flags: RemediateFlags) {
  const settings = {
    keyInUseDays: wholeNumber(flags.keyInUseDays, '--key-in-use-days'),
    includeKeysInUse: flags.includeKeysInUse === true,
    canaryWaveSizes:
      flags.canary.trim() === '' || flags.canary.trim() === '0'
        ? []
        : flags.canary.split(',').map((size) => wholeNumber(size.trim(), '--canary')),
    wavePercent: wholeNumber(flags.wavePercent, '--wave-percent'),
    maxPostureAgeHours: Number(flags.maxPostureAgeHours),
  };
  checkFlag(() => validatePlanSettings(settings));
  return settings;
}

/** The run half of `remediate`: its options. */
function addRemediationRunOptions(command: Command): Command {
  return command
    .option('--execute <plan.json>', 'run a reviewed plan (saved with --plan --output json), wave by wave')
    .option('--continue <run>', 'give the go-ahead for the next wave of a run')
    .option('--status <run>', "a run's progress by wave: done, skipped, failed, not reached")
    .option(
      '--soak <duration>',
      'with --execute: go on after this time between waves instead of waiting for --continue (30m, 2h)',
    )
    .option(
      '--failure-threshold <percent>',
      'with --execute: stop when more than this share of a wave fails',
      '20',
    )
    .option('--reason <text>', 'why (required with --execute; optional with --continue)')
    .option('--ticket <id>', 'change ticket (optional)')
    .option('-y, --yes', 'do not ask for confirmation (for scripts)')
    .option(
      `${CONFIRM_KEYS_IN_USE_FLAG} <count>`,
      'with --execute: confirm a plan that deletes keys in use by repeating how many (--yes does not)',
    );
}

/** Runs --execute, --continue or --status; undefined when none of them was given. */
function remediationRunAction(ctx: CliContext, flags: RemediateFlags) {
  const given = [flags.execute, flags.continue, flags.status].filter((value) => value !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new UsageError('--execute', 'give one of --execute, --continue and --status');
  if (flags.execute !== undefined) return executePlan(ctx, flags.execute, flags);
  if (flags.continue !== undefined) return continueRun(ctx, flags.continue, flags.reason);
  return showStatus(ctx, flags.status ?? '');
}

export function registerRemediate(program: Command, run: Runner): void {
  const command = addRemediationRunOptions(
    program
      .command('remediate')
      .description('remove root credentials across the organization in waves, from a reviewed plan'),
  )
    .option('--all', 'every member account')
    .option('--ou <ou-id...>', 'the accounts of these OUs and the OUs below them')
    .option('--account <id...>', 'these accounts')
    .option('--plan', 'print the plan: per wave, what each account loses, risks, what is kept')
    .option(
      '--key-in-use-days <n>',
      'a root key used within n days is in use (kept); match the stack keyInUseDays',
      String(DEFAULT_KEY_IN_USE_DAYS),
    )
    .option('--include-keys-in-use', 'plan the deletion of root keys in use too')
    .option(
      '--canary <sizes>',
      'sizes of the canary waves, lowest-risk accounts first (0: none)',
      DEFAULT_CANARY_WAVE_SIZES.join(','),
    )
    .option('--wave-percent <n>', 'each later wave holds n % of the accounts', String(DEFAULT_WAVE_PERCENT))
    .option(
      '--max-posture-age-hours <n>',
      'postures older than this are audited again first',
      String(DEFAULT_MAX_POSTURE_AGE_HOURS),
    )
    .option('--timeout <duration>', 'how long to wait for the audit of stale postures', '60m')
    .addHelpText(
      'after',
      `
Examples:
  rootkeeper remediate --all --plan
  rootkeeper remediate --ou ou-ab12-cd34ef56 --plan --canary 1,5 --wave-percent 20
  rootkeeper remediate --all --plan --output json > plan.json
  rootkeeper remediate --execute plan.json --reason "roll out centralized root access" --ticket CHG-42
  rootkeeper remediate --status <run>
  rootkeeper remediate --continue <run> --reason "canary wave checked"
  rootkeeper remediate --execute plan.json --soak 30m --reason "rollout, 30 minutes between waves"

Details: docs/remediation.md`,
    );
  command.action((flags: RemediateFlags, self: Command) =>
    run(self, async (ctx) => {
      const action = remediationRunAction(ctx, flags);
      if (action !== undefined) return action;
      const scope = scopeOf(flags);
      const settings = planSettingsOf(flags);
      const timeoutMs = parseDuration(flags.timeout, '--timeout');
      if (flags.plan !== true)
        throw new UsageError('--plan', 'say --plan to print the plan, or --execute, --continue or --status');
      return runPlan(ctx, { scope, settings, timeoutMs });
    }),
  );
}
