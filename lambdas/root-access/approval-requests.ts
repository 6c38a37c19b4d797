import {
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { APPROVAL_EVENT, APPROVAL_STATE } from '../../lib/approvals/approval-event';
import {
  APPROVAL_DENIED_ERROR,
  ApprovalNotPendingError,
  assertMayDecide,
  type ApprovalDecision,
} from './approval';
import { callAws } from './aws-error-mapping';
import { InvalidInputError } from './errors';

/**
 * Pending approval requests, read from Step Functions itself: a request is
 * an execution whose "Ask for approval" task is waiting. Its TaskScheduled
 * event holds what the task sent, the Approval Requested event: the plan,
 * who asked, the configured approvers and the task token the decision
 * answers. Nothing is kept elsewhere, so there is nothing to fall out of
 * step with the workflow. Used by the Decide approval function (which alone
 * answers) and by the command line (which lists and shows).
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

export interface PendingApproval {
  readonly request: ApprovalRequest;
  readonly taskToken: string;
}

/** Runs one AWS call, labelled with its IAM action (the caller chooses how errors are mapped). */
export type AwsCall = <T>(action: string, call: () => Promise<T>) => Promise<T>;

export async function historyOf(
  sfn: SFNClient,
  executionArn: string,
  call: AwsCall,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('states:GetExecutionHistory', () =>
      sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 })),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

const CLOSING = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskStateExited']);

function requestOf(event: HistoryEvent, executionArn: string): PendingApproval | undefined {
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
export async function pendingApprovalOf(
  sfn: SFNClient,
  executionArn: string,
  call: AwsCall = callAws,
): Promise<PendingApproval | undefined> {
  const events = await historyOf(sfn, executionArn, call);
  let state: string | undefined;
  let pending: PendingApproval | undefined;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered !== undefined) state = entered;
    if (state !== APPROVAL_STATE) continue;
    if (event.type === 'TaskScheduled') pending = requestOf(event, executionArn);
    else if (event.type !== undefined && CLOSING.has(event.type)) pending = undefined;
  }
  return pending;
}

/** A decision as the Decide approval function records it (the workflow reads it back). */
export interface RecordedDecision extends ApprovalDecision {
  readonly decision: 'APPROVED' | 'DENIED';
}

/** Where decisions are recorded: once per execution (and sort key: a remediation's go-ahead is one per wave). */
export interface DecisionStore {
  /** Records the decision unless one exists under that key; false when one did. Sort key default: DECISION. */
  recordOnce(executionArn: string, decision: RecordedDecision, sortKey?: string): Promise<boolean>;
}

export interface DecisionRequest {
  readonly executionArn: string;
  readonly approve: boolean;
  /** The caller, as AWS authenticated it (the function URL's requestContext.authorizer.iam.userArn). */
  readonly approverArn: string;
  readonly reason: string;
  readonly now: Date;
}

/** Whether an execution ARN belongs to one of the given state machines. */
export function isExecutionOf(executionArn: string, stateMachineArns: readonly string[]): boolean {
  return stateMachineArns.some((arn) =>
    executionArn.startsWith(`${arn.replace(':stateMachine:', ':execution:')}:`),
  );
}

/**
 * Approves or denies a waiting request, enforcing the approver rules where
 * the caller cannot bypass them: refused (nothing recorded, nothing sent)
 * when the execution is not one of the gated workflows', when it is not
 * waiting any more, when the approver is the requester or not a configured
 * approver, or when a decision was recorded already (no second decision).
 * The decision is recorded before the task is answered: the workflow, once
 * the task returns, applies only what it finds recorded.
 */
export async function decideApproval(
  clients: { readonly sfn: SFNClient; readonly store: DecisionStore },
  gatedStateMachineArns: readonly string[],
  decision: DecisionRequest,
): Promise<{ request: ApprovalRequest; recorded: RecordedDecision }> {
  if (!isExecutionOf(decision.executionArn, gatedStateMachineArns)) {
    throw new InvalidInputError(
      'executionArn',
      `${decision.executionArn} is not a run of a workflow that asks for approval`,
    );
  }
  const pending = await pendingApprovalOf(clients.sfn, decision.executionArn);
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
  const recorded: RecordedDecision = {
    decision: decision.approve ? 'APPROVED' : 'DENIED',
    by: decision.approverArn,
    at: decision.now.toISOString(),
    reason: decision.reason,
  };
  await recordThenAnswer(clients, taskToken, decision.executionArn, recorded, {
    decidedAlready: `${decision.executionArn} was decided already`,
    closedMeanwhile: `${decision.executionArn} was decided or expired meanwhile`,
  });
  return { request, recorded };
}

/**
 * Records the decision once (under `sortKey`, DECISION by default), then
 * answers the task token with it. The record comes first: the waiting
 * workflow reads it, never the callback's output, so an answer without a
 * record is refused there. Refused with ApprovalNotPendingError when a
 * decision was recorded already, or when the wait ended between our read
 * and our answer.
 */
export async function recordThenAnswer(
  clients: { readonly sfn: SFNClient; readonly store: DecisionStore },
  taskToken: string,
  executionArn: string,
  recorded: RecordedDecision,
  refusals: { readonly decidedAlready: string; readonly closedMeanwhile: string; readonly sortKey?: string },
): Promise<void> {
  if (!(await clients.store.recordOnce(executionArn, recorded, refusals.sortKey))) {
    throw new ApprovalNotPendingError(refusals.decidedAlready);
  }
  const answer = JSON.stringify({ by: recorded.by, at: recorded.at, reason: recorded.reason });
  const approve = recorded.decision === 'APPROVED';
  try {
    await callAws(approve ? 'states:SendTaskSuccess' : 'states:SendTaskFailure', () =>
      approve
        ? clients.sfn.send(new SendTaskSuccessCommand({ taskToken, output: answer }))
        : clients.sfn.send(
            new SendTaskFailureCommand({ taskToken, error: APPROVAL_DENIED_ERROR, cause: answer }),
          ),
    );
  } catch (error) {
    if (error instanceof Error && /TaskTimedOut/.test(`${error.name} ${error.message}`)) {
      throw new ApprovalNotPendingError(refusals.closedMeanwhile);
    }
    throw error;
  }
}
