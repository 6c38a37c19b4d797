import { DescribeStateMachineCommand } from '@aws-sdk/client-sfn';
import type { CliContext } from './context';
import type { ExitCode } from './errors';
import { EXIT_INTERRUPTED, followExecution, type Followed, type FollowOptions } from './follow';
import type { Colors } from './output';
import { startProgress } from './progress';
import { decodeItem, parseWorkflowOutput, readItem, RUN_SCHEMA_VERSION, type Item } from './run-record';
import { OUTPUT } from './stack-outputs';
import { PLANNED_OUTCOME } from '../lib/results-table-keys';
import { startOrAttach, waitForExecution } from './workflow';

/**
 * The plan shown before a root action is confirmed: the workflow's own dry
 * run (a read-only step in a root session, recorded as PLANNED) is run
 * first, what it read is shown, and only then is the question asked. The
 * real request is pinned to what was shown when the workflow can refuse a
 * change (the unlock's expectedPolicySha256). A workflow that waits for a
 * second person's approval is shown the same way first (a dry run needs no
 * approval); the run then reads it again for the approver.
 */

export interface ShownPlan {
  /** What `--output json` carries under `plan`. */
  readonly document: Readonly<Record<string, unknown>>;
  /** The plan for the person, line by line, before the question (stderr). */
  readonly lines: (colors: Colors) => string[];
  /** Added to the real request: what pins it to the plan shown. */
  readonly pin: Readonly<Record<string, unknown>>;
  /** After the real run: a warning when what it acted on is not what was shown. */
  readonly differsFrom?: (run: Item | undefined) => string | undefined;
}

export interface Preview {
  /** The workflow input of the read-only run (its dry run), without requestedBy. */
  readonly input: Readonly<Record<string, unknown>>;
  /** The plan, from the dry run's PLANNED record (decoded). */
  readonly describe: (planned: Item) => ShownPlan;
}

export type PlanRead =
  | { readonly kind: 'shown'; readonly plan: ShownPlan; readonly run: string }
  | { readonly kind: 'stopped'; readonly exitCode: ExitCode };

/**
 * Whether the workflow waits for an approval (a task token) before it
 * changes anything, said before the question. A definition that cannot be
 * read counts as "no".
 */
export async function asksForApproval(ctx: CliContext, stateMachineArn: string): Promise<boolean> {
  try {
    const answer = await ctx.sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    return answer.definition?.includes('.waitForTaskToken') === true;
  } catch {
    return false;
  }
}

function stoppedReading(ctx: CliContext, followed: Followed): PlanRead {
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: false,
      command: followed.command,
      exitCode: EXIT_INTERRUPTED,
      interrupted: true,
      execution: { name: followed.name, arn: followed.executionArn, status: 'RUNNING' },
    },
    (printer) => printer.line('Stopped while reading the plan: nothing was asked and nothing was changed.'),
  );
  return { kind: 'stopped', exitCode: EXIT_INTERRUPTED as ExitCode };
}

/**
 * Runs the dry run and waits for it. A plan that could not be read (the
 * account was refused, the bucket is in another account, ...) is reported as
 * any run is, and the command stops there: nothing was asked, nothing done.
 */
export async function readPlan(
  ctx: CliContext,
  run: {
    readonly stateMachineArn: string;
    readonly name: string;
    readonly input: Readonly<Record<string, unknown>>;
    readonly followed: (executionArn: string, name: string) => Followed;
    readonly follow: FollowOptions;
  },
  preview: Preview,
): Promise<PlanRead> {
  const started = await startOrAttach(ctx.sfn, {
    stateMachineArn: run.stateMachineArn,
    name: run.name,
    input: run.input,
  });
  const progress = startProgress(ctx.out, 'Reading the plan');
  // Ctrl-C while the plan is read: nothing was asked, so nothing is done.
  const abort = new AbortController();
  const signals = ctx.environment.signals ?? process;
  const onSignal = () => abort.abort();
  signals.once('SIGINT', onSignal);
  let description;
  try {
    description = await waitForExecution(ctx.sfn, started.executionArn, {
      pollIntervalMs: ctx.pollIntervalMs,
      timeoutMs: run.follow.timeoutMs,
      progress,
      signal: abort.signal,
    });
  } finally {
    signals.removeListener('SIGINT', onSignal);
    progress.stop();
  }
  if (abort.signal.aborted) return stoppedReading(ctx, run.followed(started.executionArn, run.name));
  const output = parseWorkflowOutput(description.output);
  const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
  const item =
    description.status === 'SUCCEEDED' && output.outcome === PLANNED_OUTCOME && output.runKey !== undefined
      ? await readItem(ctx.ddb, table, output.runKey)
      : undefined;
  if (item === undefined) {
    const exitCode = await followExecution(ctx, run.followed(started.executionArn, run.name), run.follow);
    return { kind: 'stopped', exitCode };
  }
  return { kind: 'shown', plan: preview.describe(decodeItem(item)), run: run.name };
}
