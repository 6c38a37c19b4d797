import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { Runner } from '../program';
import { UsageError } from '../errors';
import { continueRun, executePlan, showStatus, type ExecuteFlags } from '../remediation-commands';

interface RemediateFlags extends ExecuteFlags {
  readonly execute?: string;
  readonly continue?: string;
  readonly status?: string;
}

/** The run half of `remediate`: options and the action (the plan half adds --plan). */
export function addRemediationRunOptions(command: Command): Command {
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
    .option('-y, --yes', 'do not ask for confirmation (for scripts)');
}

/** Runs --execute, --continue or --status; undefined when none of them was given. */
export function remediationRunAction(ctx: CliContext, flags: RemediateFlags) {
  const given = [flags.execute, flags.continue, flags.status].filter((value) => value !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new UsageError('--execute', 'give one of --execute, --continue and --status');
  if (flags.execute !== undefined) return executePlan(ctx, flags.execute, flags);
  if (flags.continue !== undefined) return continueRun(ctx, flags.continue, flags.reason);
  return showStatus(ctx, flags.status ?? '');
}

export function registerRemediate(program: Command, run: Runner): void {
  const command = addRemediationRunOptions(
    program.command('remediate').description('remediate the organization from a reviewed plan, wave by wave'),
  ).addHelpText(
    'after',
    `
Examples:
  rootkeeper remediate --execute plan.json --reason "roll out centralized root access" --ticket CHG-42
  rootkeeper remediate --status <run>
  rootkeeper remediate --continue <run> --reason "canary wave checked"
  rootkeeper remediate --execute plan.json --soak 30m --reason "rollout, 30 minutes between waves"`,
  );
  command.action((flags: RemediateFlags, self: Command) =>
    run(self, async (ctx) => {
      const action = remediationRunAction(ctx, flags);
      if (action === undefined)
        throw new UsageError('--execute', 'give --execute PLAN.json, --continue RUN or --status RUN');
      return action;
    }),
  );
}
