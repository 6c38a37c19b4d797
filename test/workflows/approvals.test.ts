import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { pendingApprovalOf } from '../../cli/approval-requests';
import { decideThroughFunction } from './decide-approval';
import {
  ApprovalNotPendingError,
  ApproverNotAllowedError,
  SelfApprovalError,
} from '../../lambdas/root-access/approval';
import { FakeOrganization } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { MANAGEMENT_ACCOUNT, REGION, WorkflowHarness } from './workflow-harness';
import { startStepFunctionsApiClient, type StepFunctionsApiClient } from '../local/step-functions/api-client';

const MEMBER = '400000000002';
const BUCKET = 'locked-out-bucket';
const POLICY = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::${BUCKET}/*"}]}`;
const REQUESTER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/AWSReservedSSO_OnCall_0a1b2c3d/alice@example.com`;
const APPROVER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/Approvers/bob@example.com`;
const APPROVERS_ROLE = `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/Approvers`;
const unlock = {
  accountId: MEMBER,
  bucketName: BUCKET,
  action: 'DELETE',
  requestedBy: REQUESTER,
  reason: 'INC-77 bucket locked',
  ticket: 'INC-77',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The unlock workflow with its approval gate, on the local runner, decided through the Step Functions API. */
describe('Approval gate of the unlock workflow', () => {
  const s3 = mockClient(S3Client);
  let org: FakeOrganization;
  let harness: WorkflowHarness;
  let client: StepFunctionsApiClient;
  let sfn: SFNClient;
  let runCount = 0;
  let decide: ReturnType<typeof decideThroughFunction>;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start({
      approvals: { unlockS3: true, unlockSqs: true, enableRecovery: true, deleteRootCredentials: false },
      approverPrincipals: [APPROVERS_ROLE],
    });
    client = await startStepFunctionsApiClient(harness.runner, REGION);
    sfn = client.sfn;
    decide = decideThroughFunction(harness, sfn);
  });

  afterAll(async () => {
    await client.close();
    await harness.close();
    org.restore();
    s3.restore();
  });

  beforeEach(() => {
    org.reset();
    s3.reset();
    org.add(MANAGEMENT_ACCOUNT);
    org.add(MEMBER);
    s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    s3.on(DeleteBucketPolicyCommand).resolves({});
  });

  afterEach(async () => {
    await expectNoSessionSecrets(harness, org);
  });

  /** Starts an unlock and returns once it waits for approval. */
  async function requestUnlock() {
    runCount += 1;
    const { executionArn } = harness.runner.startExecution(harness.arn('unlockS3BucketPolicy'), {
      name: `approval-${runCount}`,
      input: unlock,
    });
    for (let i = 0; i < 400; i += 1) {
      const pending = await pendingApprovalOf(sfn, executionArn);
      if (pending !== undefined) return { executionArn, pending };
      await sleep(25);
    }
    throw new Error('the unlock never asked for approval');
  }

  async function finished(executionArn: string, on = harness) {
    const record = await on.runner.waitForExecution(executionArn);
    const runs = await on.query(`ACCOUNT#${MEMBER}`, 'RUN#');
    const run = runs.find((item) => item.executionArn === executionArn);
    if (run === undefined) throw new Error('no run recorded');
    return { record, run, approval: JSON.parse(String(run.approval)) as Record<string, string> };
  }

  const decision = (executionArn: string, approve: boolean, approverArn = APPROVER) => ({
    executionArn,
    approve,
    approverArn,
    reason: approve ? 'checked with the bucket owner' : 'wrong bucket',
    now: new Date('2026-11-29T20:00:00Z'),
  });

  it('shows the plan read in the root session, changes nothing before approval, then applies it', async () => {
    const { executionArn, pending } = await requestUnlock();
    expect(pending.request).toMatchObject({
      requestedBy: REQUESTER,
      accountId: MEMBER,
      approverPrincipals: [APPROVERS_ROLE],
      plan: { action: 'DELETE', currentPolicy: POLICY, resourceArn: `arn:aws:s3:::${BUCKET}` },
    });
    const event = harness.runner.publishedEvents.find((entry) => entry.DetailType === 'Approval Requested');
    expect(JSON.parse(event?.Detail ?? '{}')).toMatchObject({
      approveCommand: `rootkeeper approve approval-${runCount} --reason "<why>"`,
    });
    await sleep(200);
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    expect(await harness.query(`RESOURCE#arn:aws:s3:::${BUCKET}`, 'BACKUP#')).toHaveLength(0);

    await decide(decision(executionArn, true));
    const { record, run, approval } = await finished(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(run).toMatchObject({ outcome: 'UNLOCKED', requestedBy: REQUESTER });
    expect(approval).toEqual({
      decision: 'APPROVED',
      by: APPROVER,
      at: '2026-11-29T20:00:00.000Z',
      reason: 'checked with the bucket owner',
    });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(1);
    // Approved once: a second decision finds nothing waiting.
    await expect(decide(decision(executionArn, true))).rejects.toBeInstanceOf(ApprovalNotPendingError);
    await expect(decide(decision(executionArn, false))).rejects.toBeInstanceOf(ApprovalNotPendingError);
  });

  it('records a denial with who and why, and changes nothing', async () => {
    const { executionArn } = await requestUnlock();
    await decide(decision(executionArn, false));
    const { record, run, approval } = await finished(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(run).toMatchObject({ outcome: 'DENIED', outcomeReason: 'wrong bucket' });
    expect(approval).toMatchObject({ decision: 'DENIED', by: APPROVER, reason: 'wrong bucket' });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    await expect(decide(decision(executionArn, true))).rejects.toBeInstanceOf(ApprovalNotPendingError);
  });

  it('refuses self-approval (the same person through another permission set) and approvers outside the configured principals', async () => {
    const { executionArn } = await requestUnlock();
    const sameAliceOtherRole = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/AWSReservedSSO_Approver_9f8e7d6c/alice@example.com`;
    await expect(decide(decision(executionArn, true, REQUESTER))).rejects.toBeInstanceOf(SelfApprovalError);
    await expect(decide(decision(executionArn, true, sameAliceOtherRole))).rejects.toBeInstanceOf(
      SelfApprovalError,
    );
    const outsider = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/Developers/carol@example.com`;
    await expect(decide(decision(executionArn, true, outsider))).rejects.toBeInstanceOf(
      ApproverNotAllowedError,
    );
    // Still waiting, nothing changed; a configured approver can still decide.
    expect(await pendingApprovalOf(sfn, executionArn)).toBeDefined();
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    await decide(decision(executionArn, false));
    expect((await finished(executionArn)).run.outcome).toBe('DENIED');
  });

  it('refuses an approval sent straight to Step Functions (SendTaskSuccess with the token, no decision record), records it and changes nothing', async () => {
    const { executionArn, pending } = await requestUnlock();
    // The requester (or anyone holding states:SendTaskSuccess, which IAM cannot limit to a resource)
    // answers the token directly, claiming to be an approver.
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: pending.taskToken,
        output: JSON.stringify({ by: APPROVER, at: '2026-11-29T20:00:00Z', reason: 'trust me' }),
      }),
    );
    const { record, run, approval } = await finished(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(approval).toMatchObject({ decision: 'REFUSED', by: '' });
    expect(approval.reason).toContain('without the Decide approval function');
    expect(run).toMatchObject({ outcome: 'DENIED' });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    const backups = await harness.query(`RESOURCE#arn:aws:s3:::${BUCKET}`, 'BACKUP#');
    expect(backups.filter((backup) => backup.executionArn === executionArn)).toEqual([]);
  });

  it('stops a run denied straight through Step Functions without crediting the claimed denier', async () => {
    const { executionArn, pending } = await requestUnlock();
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: pending.taskToken,
        error: 'ApprovalDeniedError',
        cause: 'not JSON',
      }),
    );
    const { run, approval } = await finished(executionArn);
    expect(run).toMatchObject({ outcome: 'DENIED' });
    expect(approval).toMatchObject({ decision: 'DENIED', by: '' });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
  });

  it('refuses and records the change when the policy changed between the plan and the approval', async () => {
    const { executionArn } = await requestUnlock();
    s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY.replace('DenyAll', 'SomeoneChangedIt') });
    await decide(decision(executionArn, true));
    const { run, approval } = await finished(executionArn);

    expect(approval.decision).toBe('APPROVED');
    expect(run).toMatchObject({ outcome: 'FAILED', error: 'PolicyChangedSinceBackupError' });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
  });

  it('ends the run EXPIRED when nobody decides in time, records it, and changes nothing', async () => {
    const hurried = await WorkflowHarness.start({
      approvals: { unlockS3: true, unlockSqs: true, enableRecovery: true, deleteRootCredentials: false },
      approvalExpirySeconds: 1,
    });
    try {
      const record = await hurried.run('unlockS3BucketPolicy', unlock, 'expires');
      const { run, approval } = await finished(record.executionArn, hurried);
      expect(run).toMatchObject({ outcome: 'EXPIRED', outcomeReason: 'nobody decided within 1 seconds' });
      expect(approval).toMatchObject({ decision: 'EXPIRED', by: '' });
      expect(record.history.some((event) => event.type === 'TaskTimedOut')).toBe(true);
      expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    } finally {
      await hurried.close();
    }
  });
});
