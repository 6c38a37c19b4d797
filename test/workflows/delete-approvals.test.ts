import { DeleteAccessKeyCommand, DeleteLoginProfileCommand } from '@aws-sdk/client-iam';
import { SFNClient } from '@aws-sdk/client-sfn';
import { pendingApprovalOf } from '../../cli/approval-requests';
import { decideThroughFunction } from './decide-approval';
import type { Posture } from '../../lambdas/root-access/posture';
import { FakeOrganization, type RootUser } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { MANAGEMENT_ACCOUNT, REGION, WorkflowHarness } from './workflow-harness';
import { startStepFunctionsApiClient, type StepFunctionsApiClient } from '../local/step-functions/api-client';

const MEMBER = '400000000003';
const REQUESTER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/AWSReservedSSO_OnCall_0a1b2c3d/alice@example.com`;
const APPROVER = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/Approvers/bob@example.com`;
const request = {
  accountId: MEMBER,
  requestedBy: REQUESTER,
  reason: 'INC-88 root keys found by the audit',
  ticket: 'INC-88',
};
const withKeys = (): RootUser => ({
  password: true,
  accessKeys: ['AKIAPLANNEDKEY000001'],
  signingCertificates: [],
  mfaSerials: [],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delete root credentials with its approval gate on, on the local runner, decided through the Step Functions API. */
describe('Approval gate of Delete root credentials', () => {
  let org: FakeOrganization;
  let harness: WorkflowHarness;
  let client: StepFunctionsApiClient;
  let sfn: SFNClient;
  let runCount = 0;
  let decide: ReturnType<typeof decideThroughFunction>;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start({
      approvals: { deleteRootCredentials: true, unlockS3: false, unlockSqs: false, enableRecovery: false },
    });
    client = await startStepFunctionsApiClient(harness.runner, REGION);
    sfn = client.sfn;
    decide = decideThroughFunction(harness, sfn);
  });

  afterAll(async () => {
    await client.close();
    await harness.close();
    org.restore();
  });

  beforeEach(() => {
    org.reset();
    org.add(MANAGEMENT_ACCOUNT);
    org.add(MEMBER, withKeys());
  });

  afterEach(async () => {
    await expectNoSessionSecrets(harness, org);
  });

  const deletes = () =>
    org.iam.commandCalls(DeleteAccessKeyCommand).length +
    org.iam.commandCalls(DeleteLoginProfileCommand).length;

  /** Starts a delete and returns once it waits for approval. */
  async function requestDelete() {
    runCount += 1;
    const { executionArn } = harness.runner.startExecution(harness.arn('deleteRootCredentials'), {
      name: `delete-approval-${runCount}`,
      input: request,
    });
    for (let i = 0; i < 400; i += 1) {
      const pending = await pendingApprovalOf(sfn, executionArn);
      if (pending !== undefined) return { executionArn, pending };
      await sleep(25);
    }
    throw new Error('the delete never asked for approval');
  }

  async function finished(executionArn: string) {
    const record = await harness.runner.waitForExecution(executionArn);
    const runs = await harness.query(`ACCOUNT#${MEMBER}`, 'RUN#');
    const run = runs.find((item) => item.executionArn === executionArn);
    if (run === undefined) throw new Error('no run recorded');
    return { record, run, approval: JSON.parse(String(run.approval)) as Record<string, string> };
  }

  const decision = (executionArn: string, approve: boolean) => ({
    executionArn,
    approve,
    approverArn: APPROVER,
    reason: approve ? 'keys unused, owner agrees' : 'the owner still needs that key',
    now: new Date('2026-11-29T23:00:00Z'),
  });

  it('shows the credentials read in a read-only session as the plan, deletes nothing before approval, then deletes them', async () => {
    const { executionArn, pending } = await requestDelete();
    const plan = pending.request.plan as { credentials: Posture['details']; credentialsDigest: string };
    expect(pending.request).toMatchObject({ requestedBy: REQUESTER, accountId: MEMBER });
    expect(plan.credentials).toMatchObject({
      password: {},
      accessKeys: [{ accessKeyId: 'AKIAPLANNEDKEY000001' }],
    });
    expect(plan.credentialsDigest).toMatch(/^[0-9a-f]{64}$/);
    // The plan was read with the audit task, never the delete task.
    const tasks = org.sts
      .calls()
      .map((call) => (call.args[0].input as { TaskPolicyArn: { arn: string } }).TaskPolicyArn.arn);
    expect(tasks).toEqual([expect.stringContaining('IAMAuditRootUserCredentials')]);
    await sleep(200);
    expect(deletes()).toBe(0);

    await decide(decision(executionArn, true));
    const { record, run, approval } = await finished(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(run).toMatchObject({ outcome: 'REMEDIATED', requestedBy: REQUESTER });
    expect(approval).toEqual({
      decision: 'APPROVED',
      by: APPROVER,
      at: '2026-11-29T23:00:00.000Z',
      reason: 'keys unused, owner agrees',
    });
    expect(org.root(MEMBER)).toEqual({
      password: false,
      accessKeys: [],
      signingCertificates: [],
      mfaSerials: [],
    });
    expect(JSON.parse(String(run.sessionAccessKeyIds))).toHaveLength(2);
  });

  it('records a denial with who and why, and deletes nothing', async () => {
    const { executionArn } = await requestDelete();
    await decide(decision(executionArn, false));
    const { record, run, approval } = await finished(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(run).toMatchObject({ outcome: 'DENIED', outcomeReason: 'the owner still needs that key' });
    expect(approval).toMatchObject({ decision: 'DENIED', by: APPROVER });
    expect(deletes()).toBe(0);
    expect(org.root(MEMBER)).toEqual(withKeys());
  });

  it('refuses, records why and deletes nothing when the credentials changed between the plan and the approval', async () => {
    const { executionArn, pending } = await requestDelete();
    const planned = (pending.request.plan as { credentialsDigest: string }).credentialsDigest;
    org.root(MEMBER).accessKeys.push('AKIANEWKEYSINCEPLAN1');
    await decide(decision(executionArn, true));
    const { record, run, approval } = await finished(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(approval.decision).toBe('APPROVED');
    expect(run).toMatchObject({
      outcome: 'SKIPPED',
      outcomeReason: 'CREDENTIALS_CHANGED_SINCE_PLAN',
      error: 'CredentialsChangedSincePlanError',
      actions: '[]',
    });
    expect(String(run.errorCause)).toContain(`credentials digest ${planned} then`);
    expect(String(run.errorCause)).toContain('nothing was deleted');
    expect(deletes()).toBe(0);
    expect(org.root(MEMBER).accessKeys).toEqual(['AKIAPLANNEDKEY000001', 'AKIANEWKEYSINCEPLAN1']);
  });

  it('needs no approval for a dry run or an account without root credentials', async () => {
    const dry = await harness.run('deleteRootCredentials', { ...request, dryRun: true }, 'dry-run');
    expect(JSON.parse(dry.output ?? '{}')).toMatchObject({ outcome: 'PLANNED' });
    org.add(MEMBER);
    const clean = await harness.run('deleteRootCredentials', request, 'clean');
    expect(JSON.parse(clean.output ?? '{}')).toMatchObject({ outcome: 'CLEAN' });
    expect(deletes()).toBe(0);
    expect(
      harness.runner.publishedEvents.filter((entry) => entry.DetailType === 'Approval Requested').length,
    ).toBe(runCount);
  });

  it('keeps Secure new account automatic: the creation events never wait', async () => {
    const asked = harness.runner.publishedEvents.length;
    const record = await harness.run('secureNewAccount', { accountId: MEMBER, requestId: 'evt-vended' });
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({ outcome: 'REMEDIATED' });
    expect(org.root(MEMBER)).toEqual({
      password: false,
      accessKeys: [],
      signingCertificates: [],
      mfaSerials: [],
    });
    const approvalEvents = harness.runner.publishedEvents
      .slice(asked)
      .filter((entry) => entry.DetailType === 'Approval Requested');
    expect(approvalEvents).toEqual([]);
  });
});
