import { confirmAction } from './confirm';
import type { CliContext } from './context';
import { parseDuration } from './duration';
import { EXIT, type ExitCode } from './errors';
import { attemptName, executionNameFor, timestampedExecutionName } from './execution-name';
import type { FailureTarget } from './failure';
import { followExecution, when, type Extras, type Followed } from './follow';
import { findPriorAttempt } from './rerun';
import { RUN_SCHEMA_VERSION } from './run-record';
import type { OutputName } from './stack-outputs';
import { startOrAttach } from './workflow';

export type { Extras, FinishedRun } from './follow';

/**
 * The common path of every command that starts a workflow: show the plan,
 * confirm, look for an earlier attempt of the same request (cli/rerun.ts),
 * start at most once, then follow it (cli/follow.ts).
 */

export interface WorkflowRequest {
  readonly command: string;
  readonly workflow: OutputName;
  readonly title: string;
  readonly accountId?: string;
  /** The bucket or queue, for the failure line and the run's target. */
  readonly target?: FailureTarget;
  /** The workflow input without requestedBy, which is the caller's identity. */
  readonly input: Readonly<Record<string, unknown>>;
  /** What tells two requests apart, besides reason, ticket and requester (hashed into the name). */
  readonly nameArgs: Readonly<Record<string, unknown>>;
  /** Shown before confirmation: what is about to happen. */
  readonly plan: readonly (readonly [string, string | undefined])[];
  /** Root actions ask for confirmation; audits and dry runs do not. */
  readonly mutating: boolean;
  /**
   * A second, separate confirmation that `--yes` does not give (deleting
   * root keys in use): given by its own flag, or answered at its own prompt.
   */
  readonly secondConfirmation?: SecondConfirmation;
  /** Audits are repeatable observations: a new execution each time. */
  readonly timestamped?: boolean;
  readonly watchMapRuns?: boolean;
}

export interface SecondConfirmation {
  readonly question: string;
  /** The flag that gives it in a script, named in the error when it is missing. */
  readonly flag: string;
  readonly givenByFlag: boolean;
}

export interface WaitFlags {
  readonly yes?: boolean;
  readonly wait: boolean;
  readonly timeout: string;
  /** Run again even when the same request finished a moment ago. */
  readonly again?: boolean;
}

function printPlan(ctx: CliContext, request: WorkflowRequest): void {
  const { colors } = ctx.out;
  ctx.out.note(colors.bold(`${request.title}:`));
  const rows = request.plan.filter((row): row is readonly [string, string] => row[1] !== undefined);
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) ctx.out.note(`  ${colors.dim(key.padEnd(width))}  ${value}`);
}

export async function runWorkflow(
  ctx: CliContext,
  request: WorkflowRequest,
  flags: WaitFlags,
  extras: Extras = {},
): Promise<ExitCode> {
  const timeoutMs = parseDuration(flags.timeout, '--timeout');
  const outputs = await ctx.outputs();
  const stateMachineArn = outputs.require(request.workflow);
  const requestedBy = await ctx.requestedBy();
  const input: Record<string, unknown> = { ...request.input, requestedBy };
  const identity = {
    command: request.command,
    accountId: request.accountId,
    args: request.nameArgs,
    reason: typeof input.reason === 'string' ? input.reason : undefined,
    ticket: typeof input.ticket === 'string' ? input.ticket : undefined,
    requestedBy,
  };
  const now = ctx.environment.now();
  const requestName = request.timestamped
    ? timestampedExecutionName(identity, now)
    : executionNameFor(identity);
  const follow = { wait: true, timeout: flags.timeout, timeoutMs, watchMapRuns: request.watchMapRuns };
  const followed = (executionArn: string, name: string, how: Followed['how']): Followed => ({
    command: request.command,
    title: request.title,
    executionArn,
    name,
    how,
    ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
    ...(request.target !== undefined ? { target: request.target } : {}),
  });

  const prior = request.timestamped
    ? undefined
    : await findPriorAttempt(ctx.sfn, stateMachineArn, requestName, now);
  if (prior?.kind === 'running') {
    ctx.out.note(
      `The same request is already running (started ${when(prior.startDate?.toISOString(), now)}): following it; nothing new started.`,
    );
    return followExecution(ctx, followed(prior.executionArn, prior.name, 'attached'), follow, extras);
  }
  if (prior?.kind === 'finished' && flags.again !== true) {
    return followExecution(ctx, followed(prior.executionArn, prior.name, 'already-ran'), follow, extras);
  }

  const name = request.timestamped ? requestName : attemptName(requestName, now);
  printPlan(ctx, { ...request, plan: [...request.plan, ['run id', name]] });

  if (request.mutating) {
    let answer = await confirmAction(`${request.title}: go ahead?`, {
      yes: flags.yes === true,
      interactive: ctx.environment.stdinIsTTY,
      prompt: ctx.environment.prompt,
    });
    const second = request.secondConfirmation;
    if (answer !== 'declined' && second !== undefined) {
      answer = await confirmAction(second.question, {
        yes: second.givenByFlag,
        interactive: ctx.environment.stdinIsTTY,
        prompt: ctx.environment.prompt,
        flag: second.flag,
      });
    }
    if (answer === 'declined') {
      ctx.out.result(
        {
          schemaVersion: RUN_SCHEMA_VERSION,
          ok: false,
          command: request.command,
          exitCode: EXIT.NOT_REACHED,
          declined: true,
        },
        (printer) => printer.line('Nothing done: not confirmed.'),
      );
      return EXIT.NOT_REACHED;
    }
  }

  const started = await startOrAttach(ctx.sfn, { stateMachineArn, name, input });
  // Same name: the same request started within the same second (a double submit).
  if (started.attached) ctx.out.note(`The same request started this execution a moment ago: following it.`);
  const execution = followed(started.executionArn, name, started.attached ? 'attached' : 'started');

  if (!flags.wait) {
    const watch = ctx.commandLine(`watch ${name}`);
    const document = {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: true,
      command: request.command,
      exitCode: EXIT.DONE,
      execution: { name, arn: started.executionArn, attached: started.attached, status: 'RUNNING' },
      watch,
    };
    ctx.out.result(document, (printer) => {
      printer.line(`Started ${request.title}: ${started.executionArn}`);
      printer.line(printer.colors.dim(`Follow it with: ${watch}`));
    });
    return EXIT.DONE;
  }
  return followExecution(ctx, execution, follow, extras);
}
