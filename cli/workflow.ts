import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { awsCall } from './aws-call';
import { executionArnFor } from './execution-name';
import { toAwsCallError } from './exit-codes';
import type { Progress } from './progress';

/**
 * Starting a workflow exactly once, and watching it. A retried command sends
 * the same execution name: Step Functions answers ExecutionAlreadyExists (or,
 * for a running Standard execution with the same input, the same ARN), and we
 * attach to that execution instead of failing or starting another.
 */

export interface Started {
  readonly executionArn: string;
  /** True when the execution already existed: this command started nothing. */
  readonly attached: boolean;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

async function findByName(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await awsCall('states:ListExecutions', () =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken, maxResults: 1000 })),
    );
    const found = page.executions?.find((execution) => execution.name === name);
    if (found?.executionArn !== undefined) return found.executionArn;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return undefined;
}

async function existingExecution(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
): Promise<string | undefined> {
  const arn = executionArnFor(stateMachineArn, name);
  try {
    await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    return arn;
  } catch {
    // An emulator may shape ARNs its own way: look the name up instead.
    return findByName(sfn, stateMachineArn, name);
  }
}

/** How old a returned execution must be for an idempotent StartExecution answer to count as "already there". */
const ATTACH_SKEW_MS = 5_000;

export async function startOrAttach(
  sfn: SFNClient,
  request: { readonly stateMachineArn: string; readonly name: string; readonly input: unknown },
): Promise<Started> {
  const askedAt = Date.now();
  try {
    const answer = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: request.stateMachineArn,
        name: request.name,
        input: JSON.stringify(request.input),
      }),
    );
    const startedAt = answer.startDate?.getTime() ?? askedAt;
    return { executionArn: answer.executionArn ?? '', attached: startedAt < askedAt - ATTACH_SKEW_MS };
  } catch (error) {
    if (errorName(error) === 'ExecutionAlreadyExists') {
      const arn = await existingExecution(sfn, request.stateMachineArn, request.name);
      if (arn !== undefined) return { executionArn: arn, attached: true };
    }
    throw toAwsCallError(error, 'states:StartExecution');
  }
}

async function describeExecution(
  sfn: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return awsCall('states:DescribeExecution', () => sfn.send(new DescribeExecutionCommand({ executionArn })));
}

/**
 * Optional progress sources. They are only cosmetic: an endpoint or a role
 * without GetExecutionHistory (or the audit summary's read) still gets its
 * outcome, so the first failure switches the source off.
 */
class ProgressProbe {
  private history = true;
  private more: ((progress: Progress) => Promise<void>) | undefined;

  constructor(
    private readonly sfn: SFNClient,
    private readonly executionArn: string,
    more: ((progress: Progress) => Promise<void>) | undefined,
  ) {
    this.more = more;
  }

  /** The richer source when there is one (the audit's accounts), else the state entered. */
  async poll(progress: Progress): Promise<void> {
    if (this.more !== undefined) {
      try {
        await this.more(progress);
        return;
      } catch {
        this.more = undefined;
      }
    }
    if (this.history) {
      try {
        const page = await this.sfn.send(
          new GetExecutionHistoryCommand({
            executionArn: this.executionArn,
            reverseOrder: true,
            maxResults: 20,
          }),
        );
        const entered = page.events?.find((event) => event.stateEnteredEventDetails?.name !== undefined);
        const name = entered?.stateEnteredEventDetails?.name;
        if (name !== undefined) progress.status(name);
      } catch {
        this.history = false;
      }
    }
  }
}

export interface WaitOptions {
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  readonly progress: Progress;
  /** More progress than the state entered (the audit's accounts), polled with it. */
  readonly moreProgress?: (progress: Progress) => Promise<void>;
  /** Stops the polling (Ctrl-C): the workflow itself keeps running. */
  readonly signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });

const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/** Polls until the execution stops or the timeout passes; returns the last description either way. */
export async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  options: WaitOptions,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + options.timeoutMs;
  const probe = new ProgressProbe(sfn, executionArn, options.moreProgress);
  for (;;) {
    const description = await describeExecution(sfn, executionArn);
    if (description.status !== 'RUNNING' && description.status !== 'PENDING_REDRIVE') return description;
    if (Date.now() >= deadline || aborted(options.signal)) return description;
    await probe.poll(options.progress);
    await sleep(Math.min(options.pollIntervalMs, Math.max(0, deadline - Date.now())), options.signal);
    if (aborted(options.signal)) return description;
  }
}
