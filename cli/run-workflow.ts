import { confirmAction } from './confirm';
import type { CliContext } from './context';
import { parseDuration } from './duration';
import { EXIT, type ExitCode } from './errors';
import { executionNameFor, timestampedExecutionName } from './execution-name';
import { exitCodeOfRun } from './exit-codes';
import type { Printer } from './output';
import { startProgress } from './progress';
import { colorOutcome, printRun, problemOfRun } from './render';
import { decodeItem, findRunOfExecution, parseWorkflowOutput, readItem, type Item } from './run-record';
import { OUTPUT, type OutputName } from './stack-outputs';
import { startOrAttach, waitForExecution } from './workflow';

/**
 * The common path of every command that starts a workflow: show the plan,
 * confirm, start exactly once, wait with progress, read the recorded run,
 * print it and choose the exit code.
 */

export interface WorkflowRequest {
  readonly command: string;
  readonly workflow: OutputName;
  readonly title: string;
  readonly accountId?: string;
  /** The workflow input without requestedBy, which is the caller's identity. */
  readonly input: Readonly<Record<string, unknown>>;
  /** What tells two requests apart, besides reason, ticket and requester (hashed into the name). */
  readonly nameArgs: Readonly<Record<string, unknown>>;
  /** Shown before confirmation: what is about to happen. */
  readonly plan: readonly (readonly [string, string | undefined])[];
  /** Root actions ask for confirmation; audits and dry runs do not. */
  readonly mutating: boolean;
  /** Audits are repeatable observations: a new execution each time. */
  readonly timestamped?: boolean;
  readonly watchMapRuns?: boolean;
}

export interface WaitFlags {
  readonly yes?: boolean;
  readonly wait: boolean;
  readonly timeout: string;
}

export interface FinishedRun {
  readonly exitCode: ExitCode;
  readonly outcome: string | undefined;
  readonly run: Item | undefined;
  readonly document: Record<string, unknown>;
}

export interface Extras {
  /** More for the result (postures, backup id), read after the run. */
  readonly enrich?: (finished: FinishedRun) => Promise<Record<string, unknown>>;
  readonly render?: (printer: Printer, document: Record<string, unknown>) => void;
  /** A shortfall the outcome alone does not show (accounts an audit could not reach). */
  readonly shortfall?: (run: Item | undefined) => string | undefined;
}

function printPlan(ctx: CliContext, request: WorkflowRequest, name: string): void {
  const { colors } = ctx.out;
  ctx.out.note(colors.bold(`${request.title}:`));
  const rows = [...request.plan, ['execution', name] as const].filter(
    (row): row is readonly [string, string] => row[1] !== undefined,
  );
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
  const table = outputs.require(OUTPUT.resultsTable);
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
  const name = request.timestamped
    ? timestampedExecutionName(identity, ctx.environment.now())
    : executionNameFor(identity);
  printPlan(ctx, request, name);

  if (request.mutating) {
    const answer = await confirmAction(`${request.title}: go ahead?`, {
      yes: flags.yes === true,
      interactive: ctx.environment.stdinIsTTY,
      prompt: ctx.environment.prompt,
    });
    if (answer === 'declined') {
      ctx.out.result(
        { ok: false, command: request.command, exitCode: EXIT.NOT_REACHED, declined: true },
        (printer) => printer.line('Nothing done: not confirmed.'),
      );
      return EXIT.NOT_REACHED;
    }
  }

  const started = await startOrAttach(ctx.sfn, { stateMachineArn, name, input });
  if (started.attached) ctx.out.note(`An identical request already started this execution: attaching to it.`);
  const execution = { name, arn: started.executionArn, attached: started.attached };

  if (!flags.wait) {
    const document = {
      ok: true,
      command: request.command,
      exitCode: EXIT.DONE,
      execution: { ...execution, status: 'RUNNING' },
    };
    ctx.out.result(document, (printer) => {
      printer.line(`Started ${request.title}: ${started.executionArn}`);
      printer.line(
        printer.colors.dim(
          'Follow it with: rootkeeper history --account <id>, or in the Step Functions console.',
        ),
      );
    });
    return EXIT.DONE;
  }

  const progress = startProgress(ctx.out, request.title);
  const description = await waitForExecution(ctx.sfn, started.executionArn, {
    pollIntervalMs: ctx.pollIntervalMs,
    timeoutMs,
    progress,
    watchMapRuns: request.watchMapRuns,
  }).finally(() => progress.stop());
  const status = description.status ?? 'UNKNOWN';

  const output = parseWorkflowOutput(description.output);
  const accountId = output.accountId ?? request.accountId;
  let item: Item | undefined;
  if (output.runKey !== undefined) item = await readItem(ctx.ddb, table, output.runKey);
  else if (accountId !== undefined && status !== 'RUNNING') {
    item = await findRunOfExecution(ctx.ddb, table, accountId, started.executionArn);
  }
  const run = item === undefined ? undefined : decodeItem(item);
  const outcome = output.outcome ?? (typeof run?.outcome === 'string' ? run.outcome : undefined);
  const shortfall = extras.shortfall?.(run);
  const reached = status === 'RUNNING' ? EXIT.NOT_REACHED : exitCodeOfRun(status, outcome);
  const exitCode = reached === EXIT.DONE && shortfall !== undefined ? EXIT.NOT_REACHED : reached;
  const problem =
    exitCode === EXIT.DONE
      ? undefined
      : status === 'RUNNING'
        ? `still running after ${flags.timeout}`
        : reached === EXIT.DONE
          ? shortfall
          : problemOfRun(run, description.error, description.cause);

  const document: Record<string, unknown> = {
    ok: exitCode === EXIT.DONE,
    command: request.command,
    exitCode,
    outcome: outcome ?? null,
    ...(accountId !== undefined ? { accountId } : {}),
    ...(problem !== undefined ? { problem } : {}),
    execution: { ...execution, status, startDate: description.startDate, stopDate: description.stopDate },
    run: run ?? null,
    output: output.raw ?? null,
  };
  const finished: FinishedRun = { exitCode, outcome, run, document };
  Object.assign(document, extras.enrich === undefined ? {} : await extras.enrich(finished));

  ctx.out.result(document, (printer) => {
    const { colors } = printer;
    const headline =
      status === 'SUCCEEDED'
        ? colorOutcome(colors, outcome)
        : colors.red(`${status}${outcome ? ` (${outcome})` : ''}`);
    printer.line(
      `${exitCode === EXIT.DONE ? colors.green('✔') : colors.red('✘')} ${request.title}: ${headline}`,
    );
    if (problem !== undefined) printer.line(`  ${colors.red(problem)}`);
    if (run !== undefined) printRun(printer, run, [['execution', started.executionArn]]);
    else printer.fields([['execution', started.executionArn]]);
    extras.render?.(printer, document);
  });
  if (problem !== undefined) ctx.out.warn(`not done: ${outcome ?? status}: ${problem}`);
  return exitCode;
}
