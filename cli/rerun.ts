import { ListExecutionsCommand, type ExecutionListItem, type SFNClient } from '@aws-sdk/client-sfn';
import { awsCall } from './aws-call';
import { isAttemptOf } from './execution-name';

/**
 * What an identical request finds when it comes again. It attaches only to an
 * attempt that is still running, or reports (never replays as new) one that
 * finished within REPLAY_WINDOW_MS — a retry after a dropped connection or a
 * CI re-run. Anything older, or anything with --again, is a new attempt: a
 * command from shell history after `restore-policy` must act again, not
 * print the old UNLOCKED.
 *
 * ListExecutions answers newest first (AWS: "Results are sorted by time, with
 * the most recent execution first") and is eventually consistent: two
 * attempts within the same second share a name, and StartExecution's
 * ExecutionAlreadyExists covers that race.
 */

/** How long after it finished an attempt still answers an identical request (documented in docs/cli.md). */
const REPLAY_WINDOW_MS = 10 * 60_000;

export type PriorAttempt =
  | {
      readonly kind: 'running';
      readonly executionArn: string;
      readonly name: string;
      readonly startDate?: Date;
    }
  | {
      readonly kind: 'finished';
      readonly executionArn: string;
      readonly name: string;
      readonly status: string;
      readonly startDate?: Date;
      readonly stopDate: Date;
    };

async function* executions(
  sfn: SFNClient,
  stateMachineArn: string,
  statusFilter?: 'RUNNING',
): AsyncGenerator<ExecutionListItem> {
  let nextToken: string | undefined;
  do {
    const page = await awsCall('states:ListExecutions', () =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter, nextToken, maxResults: 1000 })),
    );
    yield* page.executions ?? [];
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
}

export async function findPriorAttempt(
  sfn: SFNClient,
  stateMachineArn: string,
  requestName: string,
  now: Date,
  windowMs = REPLAY_WINDOW_MS,
): Promise<PriorAttempt | undefined> {
  for await (const execution of executions(sfn, stateMachineArn, 'RUNNING')) {
    if (
      execution.name !== undefined &&
      execution.executionArn !== undefined &&
      isAttemptOf(execution.name, requestName)
    ) {
      return {
        kind: 'running',
        executionArn: execution.executionArn,
        name: execution.name,
        ...(execution.startDate ? { startDate: execution.startDate } : {}),
      };
    }
  }
  const since = now.getTime() - windowMs;
  for await (const execution of executions(sfn, stateMachineArn)) {
    // Newest first: once started before the window, nothing later on the list finished in it.
    if (execution.startDate !== undefined && execution.startDate.getTime() < since - windowMs) break;
    const { name, executionArn, stopDate, status } = execution;
    if (name === undefined || executionArn === undefined || !isAttemptOf(name, requestName)) continue;
    if (stopDate === undefined || status === 'RUNNING') {
      return {
        kind: 'running',
        executionArn,
        name,
        ...(execution.startDate ? { startDate: execution.startDate } : {}),
      };
    }
    if (stopDate.getTime() < since) return undefined;
    return {
      kind: 'finished',
      executionArn,
      name,
      status: status ?? 'UNKNOWN',
      stopDate,
      ...(execution.startDate ? { startDate: execution.startDate } : {}),
    };
  }
  return undefined;
}
