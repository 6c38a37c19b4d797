import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  pendingApprovalOf as pendingApprovalInHistory,
  type ApprovalRequest,
  type PendingApproval,
} from '../lambdas/root-access/approval-requests';
import { awsCall } from './aws-call';

export type { ApprovalRequest } from '../lambdas/root-access/approval-requests';

/**
 * The waiting requests as the command line lists and shows them (read from
 * the executions' history, lambdas/root-access/approval-requests.ts). The
 * decisions go through the Decide approval function (decision-client.ts).
 */

/** The execution's approval request while it waits, or undefined. */
export function pendingApprovalOf(
  sfn: SFNClient,
  executionArn: string,
): Promise<PendingApproval | undefined> {
  return pendingApprovalInHistory(sfn, executionArn, awsCall);
}

/** Every waiting request of the given workflows, oldest first. */
export async function listPendingApprovals(
  sfn: SFNClient,
  stateMachineArns: readonly string[],
): Promise<ApprovalRequest[]> {
  const requests: ApprovalRequest[] = [];
  for (const stateMachineArn of stateMachineArns) {
    let nextToken: string | undefined;
    do {
      const page = await awsCall('states:ListExecutions', () =>
        sfn.send(
          new ListExecutionsCommand({
            stateMachineArn,
            statusFilter: 'RUNNING',
            nextToken,
            maxResults: 1000,
          }),
        ),
      );
      for (const execution of page.executions ?? []) {
        const pending = await pendingApprovalOf(sfn, execution.executionArn ?? '');
        if (pending !== undefined) requests.push(pending.request);
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  }
  return requests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
}

/** The execution of a run: its ARN, or its name in one of the workflows. */
export async function executionOfRun(
  sfn: SFNClient,
  run: string,
  stateMachineArns: readonly string[],
): Promise<string | undefined> {
  if (run.startsWith('arn:')) return run;
  for (const stateMachineArn of stateMachineArns) {
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${run}`;
    try {
      await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return executionArn;
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') continue;
      throw error;
    }
  }
  return undefined;
}
