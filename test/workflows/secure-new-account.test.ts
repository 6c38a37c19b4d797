import { AssumeRootCommand } from '@aws-sdk/client-sts';
import { FakeOrganization } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

const CLEAN = '200000000001';
const DIRTY = '200000000002';
const PROTECTED = '200000000009';
const AUDIT_POLICY = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';

interface RunOutput {
  outcome: string;
  accountId: string;
  runKey: { PK: string; SK: string };
}

describe('Secure new account: the synthesized workflow on the local runner', () => {
  let org: FakeOrganization;
  let harness: WorkflowHarness;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start({ protectedAccountIds: [PROTECTED] });
  });

  afterAll(async () => {
    await WorkflowHarness.closeAll();
    org.restore();
  });

  beforeEach(() => {
    org.reset();
    org.add(MANAGEMENT_ACCOUNT);
  });

  afterEach(async () => {
    await expectNoSessionSecrets(harness, org);
  });

  const secure = async (accountId: string, requestId: string) => {
    const record = await harness.run('secureNewAccount', {
      accountId,
      source: 'aws.organizations',
      requestId,
    });
    const output = JSON.parse(record.output ?? '{}') as RunOutput;
    const [run] = await harness.query(`ACCOUNT#${accountId}`, output.runKey?.SK ?? 'RUN#');
    const event = harness.runner.publishedEvents
      .map((entry) => JSON.parse(entry.Detail ?? '{}') as { executionArn: string; outcome: string })
      .find((detail) => detail.executionArn === record.executionArn);
    return { record, output, run, event };
  };

  it('records a clean new account as CLEAN with one audit session', async () => {
    org.add(CLEAN);
    const { record, output, run, event } = await secure(CLEAN, 'evt-clean');
    expect(record.status).toBe('SUCCEEDED');
    expect(output).toMatchObject({ outcome: 'CLEAN', accountId: CLEAN });
    expect(run).toMatchObject({ outcome: 'CLEAN', workflow: 'SecureNewAccount', GSI1PK: 'OUTCOME#CLEAN' });
    expect(event?.outcome).toBe('CLEAN');
    // What a clean account costs: three Lambda invocations, and the transitions AWS bills.
    const metrics = harness.runner.metrics(record.executionArn);
    expect(metrics.lambdaInvocations).toBe(3);
    expect(metrics.stateTransitions).toBe(
      record.history.filter((e) => e.type.endsWith('StateEntered')).length,
    );
    expect(org.sts.commandCalls(AssumeRootCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ TargetPrincipal: CLEAN, TaskPolicyArn: { arn: AUDIT_POLICY } }),
    ]);
  });

  it('removes a password, access keys and a virtual MFA device: REMEDIATED with before and after', async () => {
    org.add(DIRTY, {
      password: true,
      accessKeys: ['AKIAROOTKEY000000001', 'AKIAROOTKEY000000002'],
      signingCertificates: [],
      mfaSerials: [`arn:aws:iam::${DIRTY}:mfa/root-account-mfa-device`],
    });
    const { output, run } = await secure(DIRTY, 'evt-dirty');
    expect(output.outcome).toBe('REMEDIATED');
    expect(org.root(DIRTY)).toEqual({
      password: false,
      accessKeys: [],
      signingCertificates: [],
      mfaSerials: [],
    });
    expect(JSON.parse(String(run?.before))).toMatchObject({
      credentialsPresent: true,
      passwordPresent: true,
      accessKeysPresent: true,
      mfaEnabled: true,
    });
    expect(JSON.parse(String(run?.after))).toMatchObject({ credentialsPresent: false });
    const actions = JSON.parse(String(run?.actions)) as { action: string; result: string }[];
    expect(actions.map((a) => a.action).sort()).toEqual([
      'DeactivateMFADevice',
      'DeleteAccessKey',
      'DeleteAccessKey',
      'DeleteLoginProfile',
      'DeleteVirtualMFADevice',
    ]);
    expect(actions.every((a) => a.result === 'DONE')).toBe(true);
    const [posture] = await harness.query(`ACCOUNT#${DIRTY}`, 'POSTURE');
    expect(posture?.credentialsPresent).toBe(false);
  });

  it.each([
    ['a protected account', PROTECTED, 'PROTECTED_ACCOUNT'],
    ['the management account', MANAGEMENT_ACCOUNT, 'MANAGEMENT_ACCOUNT'],
  ])('skips %s without any AssumeRoot call', async (_what, accountId, reason) => {
    org.add(PROTECTED);
    const { output, run } = await secure(accountId, `evt-skip-${accountId}`);
    expect(output.outcome).toBe('SKIPPED');
    expect(run).toMatchObject({
      outcome: 'SKIPPED',
      outcomeReason: expect.stringContaining(reason) as unknown,
    });
    expect(org.sts.commandCalls(AssumeRootCommand)).toHaveLength(0);
  });

  it('rejects bad input before any AWS call', async () => {
    const record = await harness.run('secureNewAccount', { accountId: '12345', requestId: 'evt-bad' });
    const output = JSON.parse(record.output ?? '{}') as RunOutput;
    expect(output.outcome).toBe('REJECTED');
    expect(org.sts.calls()).toHaveLength(0);
    expect(org.iam.calls()).toHaveLength(0);
    expect(org.organizations.calls()).toHaveLength(0);
    const [run] = await harness.query(output.runKey.PK, output.runKey.SK);
    expect(run).toMatchObject({ outcome: 'REJECTED', error: 'InvalidInputError' });
    expect(String(run?.errorCause)).toContain('accountId');
  });

  it('retries the audit when AssumeRoot is throttled twice, then succeeds', async () => {
    org.add(CLEAN);
    org.assumeRootThrottles = 2;
    const { record, output } = await secure(CLEAN, 'evt-throttled');
    expect(output.outcome).toBe('CLEAN');
    const failures = record.history.filter((event) => event.type === 'LambdaFunctionFailed');
    expect(failures.map((event) => event.details?.error)).toEqual(['ThrottledError', 'ThrottledError']);
    expect(org.sts.commandCalls(AssumeRootCommand)).toHaveLength(3);
  });

  it('records a FAILED run and puts a failure result event when IAM keeps failing', async () => {
    org.add(CLEAN);
    org.iamFailing = true;
    const { record, output, event } = await secure(CLEAN, 'evt-failing');
    expect(record.status).toBe('FAILED');
    expect(output).toEqual({});
    expect(event?.outcome).toBe('FAILED');
    const runs = await harness.query(`ACCOUNT#${CLEAN}`, 'RUN#');
    const failed = runs.find((item) => item.executionArn === record.executionArn);
    expect(failed).toMatchObject({ outcome: 'FAILED', error: 'TransientAwsError', GSI1PK: 'OUTCOME#FAILED' });
  });
});
