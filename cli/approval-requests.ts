import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import {
  APPROVAL_DENIED_ERROR,
  ApprovalNotPendingError,
  assertMayDecide,
  type ApprovalDecision,
} from '../lambdas/root-access/approval';
import { APPROVAL_EVENT, APPROVAL_STATE } from '../lib/approvals/approval-event';
import { awsCall } from './aws-call';

/**
 * Pending approval requests, read from Step Functions itself: a request is
 * an execution whose "Ask for approval" task is waiting. Its TaskScheduled
 * event holds what the task sent, the Approval Requested event: the plan,
 * who asked, the configured approvers and the task token the decision
 * answers. Nothing is kept elsewhere, so there is nothing to fall out of
 * step with the workflow.
 */

export interface ApprovalRequest {
  readonly run: string;
  readonly executionArn: string;
  readonly workflow: string;
  readonly accountId: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly ticket: string;
  readonly plan: Record<string, unknown>;
  readonly approverPrincipals: readonly string[];
  readonly requestedAt: string;
  readonly expiresAt: string;
}

interface Pending {
  readonly request: ApprovalRequest;
  readonly taskToken: string;
}

export async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('states:GetExecutionHistory', () =>
      sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 })),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

const CLOSING = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskStateExited']);

function requestOf(event: HistoryEvent, executionArn: string): Pending | undefined {
  const text = event.taskScheduledEventDetails?.parameters;
  if (text === undefined) return undefined;
  const parameters = JSON.parse(text) as { Entries?: { DetailType?: string; Detail?: unknown }[] };
  const entry = parameters.Entries?.find((candidate) => candidate.DetailType === APPROVAL_EVENT.detailType);
  if (entry === undefined) return undefined;
  const detail = (typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail) as Record<
    string,
    unknown
  >;
  const field = (key: string) => (typeof detail[key] === 'string' ? detail[key] : '');
  const requestedAt = event.timestamp ?? new Date();
  const expiresIn = typeof detail.expiresInSeconds === 'number' ? detail.expiresInSeconds : 0;
  return {
    taskToken: field('taskToken'),
    request: {
      run: field('run'),
      executionArn,
      workflow: field('workflow'),
      accountId: field('accountId'),
      requestedBy: field('requestedBy'),
      reason: field('reason'),
      ticket: field('ticket'),
      plan: (detail.plan ?? {}) as Record<string, unknown>,
      approverPrincipals: Array.isArray(detail.approverPrincipals)
        ? (detail.approverPrincipals as string[])
        : [],
      requestedAt: requestedAt.toISOString(),
      expiresAt: new Date(requestedAt.getTime() + expiresIn * 1000).toISOString(),
    },
  };
}

/** The execution's approval request while it waits, or undefined. */
export async function pendingApprovalOf(sfn: SFNClient, executionArn: string): Promise<Pending | undefined> {
  const events = await historyOf(sfn, executionArn);
  let state: string | undefined;
  let pending: Pending | undefined;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered !== undefined) state = entered;
    if (state !== APPROVAL_STATE) continue;
    if (event.type === 'TaskScheduled') pending = requestOf(event, executionArn);
    else if (event.type !== undefined && CLOSING.has(event.type)) pending = undefined;
  }
  return pending;
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

export interface Decision {
  readonly executionArn: string;
  readonly approve: boolean;
  /** The deciding caller's ARN, from sts:GetCallerIdentity. */
  readonly approverArn: string;
  readonly reason: string;
  readonly now: Date;
}

/**
 * Approves or denies a waiting request. Refused (nothing sent) when the
 * request is not waiting any more (decided or expired: no second decision),
 * when the approver is the requester, or is not a configured approver.
 */
export async function decide(
  sfn: SFNClient,
  decision: Decision,
): Promise<{ request: ApprovalRequest; recorded: ApprovalDecision }> {
  const pending = await pendingApprovalOf(sfn, decision.executionArn);
  if (pending === undefined) {
    throw new ApprovalNotPendingError(
      `${decision.executionArn} is not waiting for approval (already approved, denied or expired, or never asked)`,
    );
  }
  const { request, taskToken } = pending;
  assertMayDecide({
    requestedBy: request.requestedBy,
    approverArn: decision.approverArn,
    approverPrincipals: request.approverPrincipals,
  });
  const recorded: ApprovalDecision = {
    by: decision.approverArn,
    at: decision.now.toISOString(),
    reason: decision.reason,
  };
  try {
    if (decision.approve) {
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(recorded) }));
    } else {
      await sfn.send(
        new SendTaskFailureCommand({
          taskToken,
          error: APPROVAL_DENIED_ERROR,
          cause: JSON.stringify(recorded),
        }),
      );
    }
  } catch (error) {
    // Decided (or expired) between our read and our answer.
    if (error instanceof Error && error.name === 'TaskTimedOut') {
      throw new ApprovalNotPendingError(`${decision.executionArn} was decided or expired meanwhile`);
    }
    throw error;
  }
  return { request, recorded };
}
