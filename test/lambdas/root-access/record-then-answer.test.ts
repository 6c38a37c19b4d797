/**
 * recordThenAnswer, alone: the decision is recorded before the task is
 * answered, a second decision is refused, and a wait that ended between the
 * read and the answer is refused by name (the record stays: the workflow
 * has gone on without it).
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { APPROVAL_DENIED_ERROR, ApprovalNotPendingError } from '../../../lambdas/root-access/approval';
import {
  recordThenAnswer,
  type DecisionStore,
  type RecordedDecision,
} from '../../../lambdas/root-access/approval-requests';

const EXECUTION = 'arn:aws:states:us-east-1:111111111111:execution:DeleteRootCredentials:run-1';
const REFUSALS = { decidedAlready: 'decided already', closedMeanwhile: 'closed meanwhile' };
const APPROVED: RecordedDecision = {
  decision: 'APPROVED',
  by: 'arn:aws:sts::111111111111:assumed-role/Approvers/bob',
  at: '2026-11-30T05:00:00.000Z',
  reason: 'CHG-1',
};

const sfnMock = mockClient(SFNClient);

function storeAnswering(recorded: boolean): DecisionStore & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    recordOnce: (executionArn, decision) => {
      calls.push(`${executionArn} ${decision.decision}`);
      return Promise.resolve(recorded);
    },
  };
}

describe('recording a decision, then answering the task', () => {
  beforeEach(() => sfnMock.reset());

  it('records, then answers SendTaskSuccess with who, when and why', async () => {
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    const store = storeAnswering(true);
    await recordThenAnswer({ sfn: new SFNClient({}), store }, 'token-1', EXECUTION, APPROVED, REFUSALS);
    expect(store.calls).toEqual([`${EXECUTION} APPROVED`]);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: JSON.stringify({ by: APPROVED.by, at: APPROVED.at, reason: APPROVED.reason }),
    });
  });

  it('answers a denial with SendTaskFailure and the error the workflow catches', async () => {
    sfnMock.on(SendTaskFailureCommand).resolves({});
    await recordThenAnswer(
      { sfn: new SFNClient({}), store: storeAnswering(true) },
      'token-1',
      EXECUTION,
      { ...APPROVED, decision: 'DENIED' },
      REFUSALS,
    );
    expect(sfnMock.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toMatchObject({
      error: APPROVAL_DENIED_ERROR,
    });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a second decision without answering the task', async () => {
    const answer = recordThenAnswer(
      { sfn: new SFNClient({}), store: storeAnswering(false) },
      'token-1',
      EXECUTION,
      APPROVED,
      REFUSALS,
    );
    await expect(answer).rejects.toThrow(new ApprovalNotPendingError('decided already'));
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it('refuses by name when the wait ended between the read and the answer', async () => {
    sfnMock
      .on(SendTaskSuccessCommand)
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    const store = storeAnswering(true);
    const answer = recordThenAnswer(
      { sfn: new SFNClient({}), store },
      'token-1',
      EXECUTION,
      APPROVED,
      REFUSALS,
    );
    await expect(answer).rejects.toThrow(ApprovalNotPendingError);
    await expect(answer).rejects.toThrow('closed meanwhile');
    expect(store.calls).toHaveLength(1);
  });

  it('lets any other failure of the answer through as it is', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new Error('socket hang up'));
    const answer = recordThenAnswer(
      { sfn: new SFNClient({}), store: storeAnswering(true) },
      'token-1',
      EXECUTION,
      APPROVED,
      REFUSALS,
    );
    await expect(answer).rejects.toThrow('socket hang up');
    await expect(answer).rejects.not.toThrow(ApprovalNotPendingError);
  });
});
