import {
  DescribeExecutionCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';

export interface FinishedExecution {
  readonly executionArn: string;
  readonly status: string;
  /** The parsed output, when the execution succeeded. */
  readonly output?: Record<string, unknown>;
  readonly error?: string;
  readonly cause?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls DescribeExecution, as the command line does, until the execution leaves RUNNING. */
export async function waitForExecution(
  client: SFNClient,
  executionArn: string,
  timeoutMs = 45_000,
): Promise<FinishedExecution> {
  const deadline = Date.now() + timeoutMs;
  let described: DescribeExecutionCommandOutput;
  for (;;) {
    described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING' && described.status !== 'PENDING_REDRIVE') break;
    if (Date.now() > deadline) throw new Error(`${executionArn} still running after ${timeoutMs} ms`);
    await sleep(25);
  }
  const output =
    described.output === undefined ? undefined : (JSON.parse(described.output) as Record<string, unknown>);
  return {
    executionArn,
    status: described.status ?? 'UNKNOWN',
    ...(output === undefined ? {} : { output }),
    ...(described.error === undefined ? {} : { error: described.error }),
    ...(described.cause === undefined ? {} : { cause: described.cause }),
  };
}

/** StartExecution through the Step Functions API, then wait for the end. */
export async function runWorkflow(
  client: SFNClient,
  stateMachineArn: string,
  input: Record<string, unknown>,
  name?: string,
  timeoutMs?: number,
): Promise<FinishedExecution> {
  const started = await client.send(
    new StartExecutionCommand({
      stateMachineArn,
      input: JSON.stringify(input),
      ...(name === undefined ? {} : { name }),
    }),
  );
  if (started.executionArn === undefined) throw new Error('StartExecution answered no executionArn');
  return waitForExecution(client, started.executionArn, timeoutMs);
}
