import type { Command } from 'commander';
import { OU_ID_PATTERN } from '../../lambdas/root-access/id-patterns';
import { DEFAULT_KEY_IN_USE_DAYS } from '../../lambdas/root-access/remediation-plan';
import {
  DEFAULT_CANARY_WAVE_SIZES,
  DEFAULT_MAX_POSTURE_AGE_HOURS,
  DEFAULT_WAVE_PERCENT,
  validatePlanSettings,
} from '../../lambdas/root-access/remediation-planning';
import { parseDuration } from '../duration';
import { UsageError } from '../errors';
import { checkFlag } from '../flags';
import type { Runner } from '../program';
import { runPlan } from '../remediation-plan-output';
import type { ScopeRequest } from '../remediation-scope';
import { accountFlag } from '../request-flags';

/**
 * `rootkeeper remediate`: organization-wide remediation in waves. `--plan`
 * prints what would be done (cli/remediation-plan-output.ts); executing a
 * saved plan and following it are separate options of the same command.
 */

export interface RemediateFlags {
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
export function scopeOf(flags: RemediateFlags): ScopeRequest {
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

export function planSettingsOf(flags: RemediateFlags) {
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

export function registerRemediate(program: Command, run: Runner): void {
  const command = program
    .command('remediate')
    .description('remove root credentials across the organization in waves, from a reviewed plan')
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

Details: docs/remediation.md`,
    );
  command.action((flags: RemediateFlags, self: Command) =>
    run(self, async (ctx) => {
      const scope = scopeOf(flags);
      const settings = planSettingsOf(flags);
      const timeoutMs = parseDuration(flags.timeout, '--timeout');
      if (flags.plan !== true) throw new UsageError('--plan', 'say --plan to print the remediation plan');
      return runPlan(ctx, { scope, settings, timeoutMs });
    }),
  );
}
