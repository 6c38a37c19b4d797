import { DescribeExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { parseDuration } from '../duration';
import { UsageError } from '../errors';
import { executionArnFor } from '../execution-name';
import { followExecution } from '../follow';
import type { Runner } from '../program';
import { addWaitFlags, type RequestFlags } from '../request-flags';
import { WORKFLOW_OUTPUTS } from '../stack-outputs';
import { toAwsCallError } from '../exit-codes';

/**
 * `rootkeeper watch RUN`: follow a run to its end (or show how it ended), by
 * its run id (the execution name every command prints) or its execution ARN.
 */

interface Found {
  readonly title: string;
  readonly description: DescribeExecutionCommandOutput;
}

const EXECUTION_ARN = /^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[^:]+:[^:]+$/;

async function describe(
  ctx: CliContext,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput | undefined> {
  try {
    return await ctx.sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
    throw toAwsCallError(error, 'states:DescribeExecution');
  }
}

async function findRun(ctx: CliContext, run: string): Promise<Found | undefined> {
  const outputs = await ctx.outputs();
  const machines = WORKFLOW_OUTPUTS.flatMap(({ output, title }) => {
    const arn = outputs.find(output);
    return arn === undefined ? [] : [{ arn, title }];
  });
  if (EXECUTION_ARN.test(run)) {
    const machineName = run.split(':')[6];
    const title = machines.find((machine) => machine.arn.split(':')[6] === machineName)?.title ?? 'Run';
    const description = await describe(ctx, run);
    return description === undefined ? undefined : { title, description };
  }
  for (const machine of machines) {
    const description = await describe(ctx, executionArnFor(machine.arn, run));
    if (description !== undefined) return { title: machine.title, description };
  }
  return undefined;
}

function inputOf(description: DescribeExecutionCommandOutput): Record<string, unknown> {
  try {
    const parsed = JSON.parse(description.input ?? '{}') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

async function followRun(ctx: CliContext, runId: string, wait: boolean, timeout: string) {
  const timeoutMs = parseDuration(timeout, '--timeout');
  const wanted = runId.trim();
  const found = await findRun(ctx, wanted);
  if (found === undefined) {
    throw new UsageError(
      'RUN',
      `no run ${wanted} in any Rootkeeper workflow of ${(await ctx.outputs()).source}`,
    );
  }
  const input = inputOf(found.description);
  const executionArn = found.description.executionArn ?? wanted;
  const accountId = text(input.accountId);
  const bucketName = text(input.bucketName);
  const queueUrl = text(input.queueUrl);
  return followExecution(
    ctx,
    {
      command: wait ? 'watch' : 'show',
      title: found.title,
      executionArn,
      name: found.description.name ?? executionArn.split(':').pop() ?? wanted,
      how: 'started',
      ...(accountId !== undefined ? { accountId } : {}),
      target: {
        ...(accountId !== undefined ? { accountId } : {}),
        ...(bucketName !== undefined ? { bucketName } : {}),
        ...(queueUrl !== undefined ? { queueUrl } : {}),
      },
    },
    { wait, timeout, timeoutMs: wait ? timeoutMs : 0 },
  );
}

export function registerWatch(program: Command, run: Runner): void {
  const command = program
    .command('watch')
    .description('follow a run until it ends (or show how it ended), by run id or execution ARN')
    .argument('<run>', 'the run id a command printed (its execution name), or the execution ARN');
  addWaitFlags(command, '60m').addHelpText(
    'after',
    `
Ctrl-C stops watching (exit 130), never the run.

Examples:
  rootkeeper watch unlock-s3-111122223333-3f2a9c0d1e2b3a4c5d6e-20261129T194942Z
  rootkeeper watch arn:aws:states:eu-west-1:111122223333:execution:UnlockS3:unlock-s3-...`,
  );
  command.action((runId: string, flags: RequestFlags, self: Command) =>
    run(self, (ctx) => followRun(ctx, runId, flags.wait, flags.timeout)),
  );
}

/** `rootkeeper show RUN`: one run in full, as it is now, without waiting. */
export function registerShow(program: Command, run: Runner): void {
  program
    .command('show')
    .description('one run in full (who, why, target, before, actions, after, error), by run id or ARN')
    .argument('<run>', 'the run id (history --wide, or what a command printed), or the execution ARN')
    .action((runId: string, _flags: unknown, self: Command) =>
      run(self, (ctx) => followRun(ctx, runId, false, '1s')),
    );
}
