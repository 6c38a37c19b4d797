import { assertConfirmable, confirmAction } from './confirm';
import type { CliContext } from './context';
import { parseDuration } from './duration';
import { EXIT, type ExitCode } from './errors';
import {
  attemptName,
  executionNameFor,
  timestampedExecutionName,
  type RequestIdentity,
} from './execution-name';
import type { FailureTarget } from './failure';
import { followExecution, when, type Extras, type Followed, type FollowOptions } from './follow';
import { asksForApproval, readPlan, type PlanRead, type Preview, type ShownPlan } from './preview';
import { findPriorAttempt } from './rerun';
import { RUN_SCHEMA_VERSION } from './run-record';
import type { OutputName } from './stack-outputs';
import { startOrAttach } from './workflow';

export type { Extras, FinishedRun } from './follow';

/**
 * The common path of every command that starts a workflow, step by step:
 * look for an earlier attempt of the same request (cli/rerun.ts), read and
 * show the plan (cli/preview.ts), confirm, start at most once, then follow
 * it (cli/follow.ts).
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
  /** What the root action would change, read first in a read-only run and shown before the question. */
  readonly preview?: Preview;
  /** Audits are repeatable observations: a new execution each time. */
  readonly timestamped?: boolean;
  /** The organization audit: progress in accounts while it runs. */
  readonly watchAudit?: boolean;
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

/** What every step needs: the state machine, the input, the request's name, how to follow. */
interface Prepared {
  readonly stateMachineArn: string;
  readonly input: Record<string, unknown>;
  readonly identity: RequestIdentity;
  readonly requestName: string;
  readonly follow: FollowOptions;
  readonly now: Date;
  readonly followed: (executionArn: string, name: string, how: Followed['how']) => Followed;
}

async function prepare(ctx: CliContext, request: WorkflowRequest, flags: WaitFlags): Promise<Prepared> {
  const timeoutMs = parseDuration(flags.timeout, '--timeout');
  const stateMachineArn = (await ctx.outputs()).require(request.workflow);
  const requestedBy = await ctx.requestedBy();
  const input: Record<string, unknown> = { ...request.input, requestedBy };
  const identity: RequestIdentity = {
    command: request.command,
    accountId: request.accountId,
    args: request.nameArgs,
    reason: typeof input.reason === 'string' ? input.reason : undefined,
    ticket: typeof input.ticket === 'string' ? input.ticket : undefined,
    requestedBy,
  };
  const now = ctx.environment.now();
  return {
    stateMachineArn,
    input,
    identity,
    requestName: request.timestamped ? timestampedExecutionName(identity, now) : executionNameFor(identity),
    follow: { wait: true, timeout: flags.timeout, timeoutMs, watchAudit: request.watchAudit },
    now,
    followed: (executionArn, name, how) => ({
      command: request.command,
      title: request.title,
      executionArn,
      name,
      how,
      ...(request.accountId !== undefined ? { accountId: request.accountId } : {}),
      ...(request.target !== undefined ? { target: request.target } : {}),
    }),
  };
}

/**
 * The same request still running is followed; one that finished a moment
 * ago is reported as such (nothing runs) unless --again. undefined: go on.
 */
async function earlierAttempt(
  ctx: CliContext,
  request: WorkflowRequest,
  prepared: Prepared,
  flags: WaitFlags,
  extras: Extras,
): Promise<ExitCode | undefined> {
  if (request.timestamped) return undefined;
  const prior = await findPriorAttempt(ctx.sfn, prepared.stateMachineArn, prepared.requestName, prepared.now);
  if (prior?.kind === 'running') {
    ctx.out.note(
      `The same request is already running (started ${when(prior.startDate?.toISOString(), prepared.now)}): following it; nothing new started.`,
    );
    const execution = prepared.followed(prior.executionArn, prior.name, 'attached');
    return followExecution(ctx, execution, prepared.follow, extras);
  }
  if (prior?.kind === 'finished' && flags.again !== true) {
    const execution = prepared.followed(prior.executionArn, prior.name, 'already-ran');
    return followExecution(ctx, execution, prepared.follow, extras);
  }
  return undefined;
}

/**
 * For a root action with a preview: its dry run, read and shown before the
 * question. A workflow that also waits for a second person's approval
 * still shows it here (its dry run needs no approval): the requester
 * confirms what the approver will be shown, read again by the run itself.
 */
async function planOf(
  ctx: CliContext,
  request: WorkflowRequest,
  prepared: Prepared,
): Promise<{ read: PlanRead; approval: boolean } | undefined> {
  const preview = request.preview;
  if (preview === undefined || !request.mutating) return undefined;
  const name = attemptName(
    executionNameFor({ ...prepared.identity, command: `${request.command}-plan` }),
    prepared.now,
  );
  const read = await readPlan(
    ctx,
    {
      stateMachineArn: prepared.stateMachineArn,
      name,
      input: { ...preview.input, requestedBy: prepared.input.requestedBy },
      followed: (executionArn, planName) => ({
        ...prepared.followed(executionArn, planName, 'started'),
        title: `${request.title} (reading the plan)`,
      }),
      follow: prepared.follow,
    },
    preview,
  );
  return { read, approval: await asksForApproval(ctx, prepared.stateMachineArn) };
}

function printRequest(
  ctx: CliContext,
  request: WorkflowRequest,
  name: string,
  plan: { read: PlanRead; approval: boolean } | undefined,
): void {
  const { colors } = ctx.out;
  const shown = plan?.read.kind === 'shown' ? plan.read : undefined;
  const rows = [
    ...request.plan,
    ...(shown !== undefined ? [['plan read by', shown.run] as const] : []),
    ...(plan?.approval === true
      ? [['approval', 'then waits for a second person (`rootkeeper pending`, `rootkeeper approve`)'] as const]
      : []),
    ['run id', name] as const,
  ].filter((row): row is readonly [string, string] => row[1] !== undefined);
  ctx.out.note(colors.bold(`${request.title}:`));
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, value] of rows) ctx.out.note(`  ${colors.dim(key.padEnd(width))}  ${value}`);
  if (shown !== undefined) for (const line of shown.plan.lines(colors)) ctx.out.note(line);
}

/** Refuses, before the plan is read, a question nobody could answer. */
function assertAnswerable(ctx: CliContext, request: WorkflowRequest, flags: WaitFlags): void {
  if (!request.mutating) return;
  const interactive = ctx.environment.stdinIsTTY;
  assertConfirmable({ yes: flags.yes === true, interactive });
  const second = request.secondConfirmation;
  if (second !== undefined) assertConfirmable({ yes: second.givenByFlag, interactive, flag: second.flag });
}

/** The question (or --yes). false: declined, and the result says nothing was done. */
async function confirmed(
  ctx: CliContext,
  request: WorkflowRequest,
  flags: WaitFlags,
  shown: ShownPlan | undefined,
): Promise<boolean> {
  if (!request.mutating) return true;
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
  if (answer !== 'declined') return true;
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: false,
      command: request.command,
      exitCode: EXIT.NOT_REACHED,
      declined: true,
      ...(shown !== undefined ? { plan: shown.document } : {}),
    },
    (printer) => printer.line('Nothing done: not confirmed.'),
  );
  return false;
}

/** --no-wait: the execution started, and how to follow it. */
function startedResult(
  ctx: CliContext,
  request: WorkflowRequest,
  started: { executionArn: string; attached: boolean },
  name: string,
  shown: ShownPlan | undefined,
): ExitCode {
  const watch = ctx.commandLine(`watch ${name}`);
  const document = {
    schemaVersion: RUN_SCHEMA_VERSION,
    ok: true,
    command: request.command,
    exitCode: EXIT.DONE,
    execution: { name, arn: started.executionArn, attached: started.attached, status: 'RUNNING' },
    watch,
    ...(shown !== undefined ? { plan: shown.document } : {}),
  };
  ctx.out.result(document, (printer) => {
    printer.line(`Started ${request.title}: ${started.executionArn}`);
    printer.line(printer.colors.dim(`Follow it with: ${watch}`));
  });
  return EXIT.DONE;
}

/** The plan shown goes into the result too (JSON `plan`), with a warning if the run acted on something else. */
function withPlan(extras: Extras, shown: ShownPlan | undefined): Extras {
  if (shown === undefined) return extras;
  return {
    ...extras,
    enrich: async (finished) => {
      const differs = shown.differsFrom?.(finished.run);
      return {
        plan: shown.document,
        ...(differs !== undefined ? { planDiffers: differs } : {}),
        ...(extras.enrich === undefined ? {} : await extras.enrich(finished)),
      };
    },
    render: (printer, document) => {
      if (typeof document.planDiffers === 'string')
        printer.line(printer.colors.yellow(`! ${document.planDiffers}`));
      extras.render?.(printer, document);
    },
  };
}

/**
 * A request up to the question: either answered already (an earlier
 * attempt, a plan that could not be read: its result is out), or ready,
 * with its plan read, to be shown, confirmed and started.
 */
export type PlannedRequest =
  | { readonly kind: 'answered'; readonly exitCode: ExitCode }
  | {
      readonly kind: 'ready';
      readonly request: WorkflowRequest;
      /** The plan read, for the JSON of a declined request. */
      readonly shown: ShownPlan | undefined;
      /** The request and its plan, on stderr, before the question. */
      readonly print: () => void;
      /** Starts it (at most once) and follows it, or returns at once with --no-wait. */
      readonly go: () => Promise<ExitCode>;
    };

export async function planRequest(
  ctx: CliContext,
  request: WorkflowRequest,
  flags: WaitFlags,
  extras: Extras = {},
): Promise<PlannedRequest> {
  const prepared = await prepare(ctx, request, flags);
  const earlier = await earlierAttempt(ctx, request, prepared, flags, extras);
  if (earlier !== undefined) return { kind: 'answered', exitCode: earlier };

  assertAnswerable(ctx, request, flags);
  const plan = await planOf(ctx, request, prepared);
  if (plan?.read.kind === 'stopped') return { kind: 'answered', exitCode: plan.read.exitCode };
  const shown = plan?.read.kind === 'shown' ? plan.read.plan : undefined;
  const name = request.timestamped ? prepared.requestName : attemptName(prepared.requestName, prepared.now);
  const go = async (): Promise<ExitCode> => {
    const input = { ...prepared.input, ...shown?.pin };
    const started = await startOrAttach(ctx.sfn, { stateMachineArn: prepared.stateMachineArn, name, input });
    // Same name: the same request started within the same second (a double submit).
    if (started.attached) ctx.out.note(`The same request started this execution a moment ago: following it.`);
    if (plan?.approval === true)
      ctx.out.note(
        `It waits for a second person to approve: ${ctx.commandLine(`approve ${name} --reason "<why>"`)} (Ctrl-C stops waiting, not the request).`,
      );
    if (!flags.wait) return startedResult(ctx, request, started, name, shown);
    const execution = prepared.followed(
      started.executionArn,
      name,
      started.attached ? 'attached' : 'started',
    );
    return followExecution(ctx, execution, prepared.follow, withPlan(extras, shown));
  };
  return { kind: 'ready', request, shown, print: () => printRequest(ctx, request, name, plan), go };
}

export async function runWorkflow(
  ctx: CliContext,
  request: WorkflowRequest,
  flags: WaitFlags,
  extras: Extras = {},
): Promise<ExitCode> {
  const planned = await planRequest(ctx, request, flags, extras);
  if (planned.kind === 'answered') return planned.exitCode;
  planned.print();
  if (!(await confirmed(ctx, request, flags, planned.shown))) return EXIT.NOT_REACHED;
  return planned.go();
}
