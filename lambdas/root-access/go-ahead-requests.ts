import type { SFNClient } from '@aws-sdk/client-sfn';
import { GO_AHEAD_EVENT, GO_AHEAD_STATE } from '../../lib/workflows/go-ahead';
import { goAheadDecisionKey } from '../../lib/results-table-keys';
import { ApprovalNotPendingError, assertMayDecide } from './approval';
import {
  historyOf,
  isExecutionOf,
  recordThenAnswer,
  type AwsCall,
  type DecisionStore,
  type RecordedDecision,
} from './approval-requests';
import { callAws } from './aws-error-mapping';
import { InvalidInputError } from './errors';

/**
 * The go-ahead a Remediate organization run waits for before a wave, read
 * from Step Functions like an approval request (the "Wait for the go ahead"
 * task's TaskScheduled event holds what it sent: the task token, who asked,
 * the next wave, whether an approver must give it), and given only by the
 * Decide approval function: it applies the rules to the caller AWS
 * authenticated, records the go-ahead once per wave under
 * APPROVAL#<execution ARN> / GO_AHEAD#<wave>, then answers the token. The
 * workflow reads that record after the wait and stops on a go-ahead without
 * one (a direct SendTaskSuccess).
 */

export interface PendingGoAhead {
  readonly taskToken: string;
  /** What the waiting state sent: the finished wave's tally, the next wave, the rules. */
  readonly detail: Record<string, unknown>;
}

const CLOSING = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskStateExited']);

/** The go-ahead the run waits for, or undefined when it is not waiting. */
export async function pendingGoAheadOf(
  sfn: SFNClient,
  executionArn: string,
  call: AwsCall = callAws,
): Promise<PendingGoAhead | undefined> {
  let state: string | undefined;
  let pending: PendingGoAhead | undefined;
  for (const event of await historyOf(sfn, executionArn, call)) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered !== undefined) state = entered;
    if (state !== GO_AHEAD_STATE) continue;
    const parameters = event.taskScheduledEventDetails?.parameters;
    if (event.type === 'TaskScheduled' && parameters !== undefined) {
      const { Entries = [] } = JSON.parse(parameters) as {
        Entries?: { DetailType?: string; Detail?: unknown }[];
      };
      const entry = Entries.find((candidate) => candidate.DetailType === GO_AHEAD_EVENT.detailType);
      const detail = (
        typeof entry?.Detail === 'string' ? JSON.parse(entry.Detail) : (entry?.Detail ?? {})
      ) as Record<string, unknown>;
      pending = { taskToken: typeof detail.taskToken === 'string' ? detail.taskToken : '', detail };
    } else if (event.type !== undefined && CLOSING.has(event.type)) pending = undefined;
  }
  return pending;
}

export interface GoAheadRequest {
  readonly executionArn: string;
  /** The caller, as AWS authenticated it (the function URL's requestContext.authorizer.iam.userArn). */
  readonly giverArn: string;
  readonly reason: string;
  readonly now: Date;
}

export interface GivenGoAhead {
  readonly recorded: RecordedDecision;
  /** The wave the go-ahead opens. */
  readonly wave: number;
  readonly detail: Record<string, unknown>;
}

/**
 * Gives the go-ahead a run waits for. Refused (nothing recorded, nothing
 * sent) when the execution is not a Remediate organization run, when it is
 * not waiting, when a go-ahead for that wave was recorded already, or, when
 * the wait says an approver is required (approvals on for deleting root
 * credentials), when the caller is the requester or not among the
 * configured approvers. Without that, the requester may continue their own
 * run, and who did is recorded all the same.
 */
export async function giveGoAhead(
  clients: { readonly sfn: SFNClient; readonly store: DecisionStore },
  remediationStateMachineArns: readonly string[],
  request: GoAheadRequest,
): Promise<GivenGoAhead> {
  if (!isExecutionOf(request.executionArn, remediationStateMachineArns)) {
    throw new InvalidInputError(
      'executionArn',
      `${request.executionArn} is not a run of the Remediate organization workflow`,
    );
  }
  const pending = await pendingGoAheadOf(clients.sfn, request.executionArn);
  if (pending === undefined) {
    throw new ApprovalNotPendingError(
      `${request.executionArn} is not waiting for a go-ahead (a wave is running, or the run ended)`,
    );
  }
  const { detail, taskToken } = pending;
  const wave = Number(detail.nextWave);
  if (detail.approverRequired === true) {
    assertMayDecide({
      requestedBy: typeof detail.requestedBy === 'string' ? detail.requestedBy : '',
      approverArn: request.giverArn,
      approverPrincipals: Array.isArray(detail.approverPrincipals)
        ? (detail.approverPrincipals as string[])
        : [],
    });
  }
  const recorded: RecordedDecision = {
    decision: 'APPROVED',
    by: request.giverArn,
    at: request.now.toISOString(),
    reason: request.reason,
  };
  await recordThenAnswer(clients, taskToken, request.executionArn, recorded, {
    decidedAlready: `the go-ahead for wave ${wave} of ${request.executionArn} was given already`,
    closedMeanwhile: `${request.executionArn} stopped waiting meanwhile`,
    sortKey: goAheadDecisionKey(wave),
  });
  return { recorded, wave, detail };
}
