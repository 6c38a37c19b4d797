import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { connect } from 'node:net';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createAccountResultEvent } from '../../local/main-job/account-events';
import { remainingCredentials } from '../../local/main-job/checks';
import { KEY_PREFIX } from '../../lib/results-table-keys';
import type { FinishedExecution } from '../../local/main-job/executions';
import { closeE2eStacks, E2E_START_TIMEOUT_MS, startE2eStack, type E2eStack } from './support/e2e-stack';
import { allowLoopbackOnly } from './support/loopback-guard';
import {
  BUCKET_POLICY,
  CREATED_CLEAN,
  INVITED_FULL,
  INVITED_PASSWORD_KEY,
  LOCKED,
  LOCKED_BUCKET,
  LOCKED_QUEUE,
  MANAGEMENT,
  QUEUE_POLICY,
  QUEUE_URL,
  RECOVERY,
  REPLACED_BUCKET,
  REPLACED_BUCKET_ORIGINAL,
  REPLACEMENT_POLICY,
  SUSPENDED,
  workflowsOrganization,
} from './support/organization';

allowLoopbackOnly();

const ON_CALL = { requestedBy: 'e2e@example.com', reason: 'end-to-end test', ticket: 'E2E-1' };

let e2e: E2eStack;

beforeAll(async () => {
  e2e = await startE2eStack({ sandbox: { organization: workflowsOrganization() } });
}, E2E_START_TIMEOUT_MS);

afterAll(async () => {
  await closeE2eStacks();
});

function latestRun(runs: readonly Record<string, unknown>[], workflow: string): Record<string, unknown> {
  const run = runs
    .filter((item) => item.workflow === workflow)
    .sort((a, b) => String(a.SK).localeCompare(String(b.SK)))
    .at(-1);
  if (run === undefined) throw new Error(`no ${workflow} run`);
  return run;
}

const parse = (value: unknown): unknown =>
  typeof value === 'string' && value !== '' ? JSON.parse(value) : undefined;

test('nothing leaves loopback: a connection elsewhere is refused', () => {
  // 192.0.2.1 is TEST-NET-1: documentation only, never routed.
  expect(() => connect({ host: '192.0.2.1', port: 443 })).toThrow(/stay on loopback/);
});

test('the stack outputs are served as CloudFormation DescribeStacks answers them', async () => {
  const client = new CloudFormationClient({
    region: e2e.stack.region,
    endpoint: e2e.stack.endpoints.cloudFormation,
    credentials: e2e.stack.sandbox.managementCredentials,
  });
  const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: e2e.stack.stackName }));
  client.destroy();
  const outputs: Record<string, string> = {};
  for (const output of Stacks[0]?.Outputs ?? []) outputs[output.OutputKey ?? ''] = output.OutputValue ?? '';
  expect(outputs).toEqual(e2e.stack.outputs);
  expect(Object.keys(outputs)).toEqual(
    expect.arrayContaining([
      'ResultsTableName',
      'EventBusName',
      'SecureNewAccountStateMachineArn',
      'AuditOrganizationStateMachineArn',
    ]),
  );
});

describe('Secure new account', () => {
  test('a CreateAccountResult for a created account: audited, CLEAN, recorded', async () => {
    const event = createAccountResultEvent({
      accountId: CREATED_CLEAN,
      accountName: 'created-clean',
      managementAccountId: MANAGEMENT,
    });
    e2e.stack.bus.publish(event);
    const [execution] = await e2e.executionOfEvent(event.id);
    expect(execution?.output).toMatchObject({ outcome: 'CLEAN', accountId: CREATED_CLEAN });
    const run = latestRun(await e2e.runsOf(CREATED_CLEAN), 'SecureNewAccount');
    expect(run).toMatchObject({ outcome: 'CLEAN', requestedBy: 'unknown' });
    expect(parse(run.before)).toMatchObject({ credentialsPresent: false });
  });

  test('an Account Vended event through the EventBridge API removes every credential of an invited account', async () => {
    const answer = await e2e.events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'rootkeeper.vending',
            DetailType: 'Account Vended',
            Detail: JSON.stringify({ accountId: INVITED_FULL, requestId: 'vend-e2e-1' }),
            EventBusName: e2e.stack.outputs.EventBusName,
          },
        ],
      }),
    );
    const [execution] = await e2e.executionOfEvent(answer.Entries?.[0]?.EventId ?? '');
    expect(execution?.output).toMatchObject({ outcome: 'REMEDIATED' });
    expect(remainingCredentials(e2e.stack.sandbox, INVITED_FULL)).toEqual([]);
    // The virtual MFA device is deleted, not only deactivated.
    expect(e2e.stack.sandbox.state.account(INVITED_FULL).rootCredentials.mfaDevices).toEqual([]);
    const run = latestRun(await e2e.runsOf(INVITED_FULL), 'SecureNewAccount');
    expect(parse(run.before)).toMatchObject({
      passwordPresent: true,
      accessKeysPresent: true,
      mfaEnabled: true,
    });
    expect(parse(run.after)).toMatchObject({ credentialsPresent: false });
    const actions = parse(run.actions) as { action: string; result: string }[];
    expect(actions.map((action) => action.action)).toEqual(
      expect.arrayContaining([
        'DeleteLoginProfile',
        'DeleteAccessKey',
        'DeleteSigningCertificate',
        'DeactivateMFADevice',
        'DeleteVirtualMFADevice',
      ]),
    );
    expect(actions.filter((action) => action.action === 'DeleteAccessKey')).toHaveLength(2);
  });
});

describe('Delete root credentials', () => {
  test('a dry run plans and changes nothing; the real run removes; a second run finds it CLEAN', async () => {
    const planned = await e2e.run('deleteRootCredentials', {
      accountId: INVITED_PASSWORD_KEY,
      dryRun: true,
      ...ON_CALL,
    });
    expect(planned.output).toMatchObject({ outcome: 'PLANNED' });
    expect(remainingCredentials(e2e.stack.sandbox, INVITED_PASSWORD_KEY)).toEqual([
      'password',
      'access key AKIAE2EPASSWORDKEY01',
    ]);

    const removed = await e2e.run('deleteRootCredentials', { accountId: INVITED_PASSWORD_KEY, ...ON_CALL });
    expect(removed.output).toMatchObject({ outcome: 'REMEDIATED' });
    expect(remainingCredentials(e2e.stack.sandbox, INVITED_PASSWORD_KEY)).toEqual([]);

    const again = await e2e.run('deleteRootCredentials', { accountId: INVITED_PASSWORD_KEY, ...ON_CALL });
    expect(again.output).toMatchObject({ outcome: 'CLEAN' });
    const outcomes = (await e2e.runsOf(INVITED_PASSWORD_KEY)).map((run) => run.outcome);
    expect(outcomes.sort()).toEqual(['CLEAN', 'PLANNED', 'REMEDIATED']);
  });

  test('the management account and a suspended account are skipped without a root session', async () => {
    const sessionsBefore = e2e.stack.sandbox.state.sessions().length;
    const management = await e2e.run('deleteRootCredentials', { accountId: MANAGEMENT, ...ON_CALL });
    const suspended = await e2e.run('deleteRootCredentials', { accountId: SUSPENDED, ...ON_CALL });
    expect(management.output).toMatchObject({ outcome: 'SKIPPED' });
    expect(suspended.output).toMatchObject({ outcome: 'SKIPPED' });
    expect(e2e.stack.sandbox.state.sessions().length).toBe(sessionsBefore);
    expect(latestRun(await e2e.runsOf(MANAGEMENT), 'DeleteRootCredentials').outcomeReason).toBe(
      'MANAGEMENT_ACCOUNT',
    );
  });

  test('a request without a reason is REJECTED before any AWS call', async () => {
    const sessionsBefore = e2e.stack.sandbox.state.sessions().length;
    const rejected = await e2e.run('deleteRootCredentials', { accountId: RECOVERY, requestedBy: 'e2e' });
    expect(rejected.output).toMatchObject({ outcome: 'REJECTED' });
    expect(e2e.stack.sandbox.state.sessions().length).toBe(sessionsBefore);
  });
});

describe('Unlock policies', () => {
  async function backupsOf(resourceArn: string): Promise<Record<string, unknown>[]> {
    return (await e2e.items()).filter((item) => item.PK === `RESOURCE#${resourceArn}`);
  }

  const POLICY_CHANGES = new Set(['DeleteBucketPolicy', 'PutBucketPolicy', 'SetQueueAttributes']);

  /**
   * The backup write and the policy change, in the order the table and the
   * sandbox saw them while `run` ran: a backup written after the change, or
   * not at all, shows here.
   */
  async function unlockWatchingOrder(
    workflow: 'unlockS3BucketPolicy' | 'unlockSqsQueuePolicy',
    input: Record<string, unknown>,
  ): Promise<{ execution: FinishedExecution; order: string[] }> {
    const start = e2e.callLog.calls.length;
    const execution = await e2e.run(workflow, { accountId: LOCKED, ...input, ...ON_CALL });
    const order = e2e.callLog.calls
      .slice(start)
      .filter(
        (call) =>
          POLICY_CHANGES.has(call.operation) ||
          (call.service === 'dynamodb' && call.target.includes(` ${KEY_PREFIX.backup}`)),
      )
      .map((call) => (call.service === 'dynamodb' ? 'backup written' : call.operation));
    return { execution, order };
  }

  test('S3 DELETE: the backup is written before the policy is deleted, and is the original byte for byte', async () => {
    const { execution, order } = await unlockWatchingOrder('unlockS3BucketPolicy', {
      bucketName: LOCKED_BUCKET,
      action: 'DELETE',
    });
    expect(order).toEqual(['backup written', 'DeleteBucketPolicy']);
    expect(execution.output).toMatchObject({ outcome: 'UNLOCKED' });
    expect(e2e.stack.sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBeUndefined();
    const [backup] = await backupsOf(`arn:aws:s3:::${LOCKED_BUCKET}`);
    expect(Buffer.from(String(backup?.policy), 'utf8').equals(Buffer.from(BUCKET_POLICY, 'utf8'))).toBe(true);
    expect(backup).toMatchObject({ accountId: LOCKED, resourceType: 'S3_BUCKET', bucketName: LOCKED_BUCKET });
    expect(execution.executionArn.endsWith(`:${String(backup?.backupId)}`)).toBe(true);
  });

  test('S3 REPLACE: the old policy is backed up before the new one is put in place', async () => {
    const { execution, order } = await unlockWatchingOrder('unlockS3BucketPolicy', {
      bucketName: REPLACED_BUCKET,
      action: 'REPLACE',
      replacementPolicy: REPLACEMENT_POLICY,
    });
    expect(order).toEqual(['backup written', 'PutBucketPolicy']);
    expect(execution.output).toMatchObject({ outcome: 'UNLOCKED' });
    expect(e2e.stack.sandbox.state.bucket(REPLACED_BUCKET)?.policy).toBe(REPLACEMENT_POLICY);
    const [backup] = await backupsOf(`arn:aws:s3:::${REPLACED_BUCKET}`);
    expect(backup?.policy).toBe(REPLACED_BUCKET_ORIGINAL);
  });

  test('SQS DELETE: the original is backed up before the Policy attribute is removed', async () => {
    const { execution, order } = await unlockWatchingOrder('unlockSqsQueuePolicy', {
      queueUrl: QUEUE_URL,
      action: 'DELETE',
    });
    expect(order).toEqual(['backup written', 'SetQueueAttributes']);
    expect(execution.output).toMatchObject({ outcome: 'UNLOCKED' });
    expect(e2e.stack.sandbox.state.queue(LOCKED, LOCKED_QUEUE, 'eu-west-1')?.attributes.Policy ?? '').toBe(
      '',
    );
    const [backup] = await backupsOf(`arn:aws:sqs:eu-west-1:${LOCKED}:${LOCKED_QUEUE}`);
    expect(backup).toMatchObject({ policy: QUEUE_POLICY, resourceType: 'SQS_QUEUE', queueUrl: QUEUE_URL });
  });

  test('unlocking again finds nothing to unlock and backs nothing up', async () => {
    const unlock = () =>
      e2e.run('unlockS3BucketPolicy', {
        accountId: LOCKED,
        bucketName: LOCKED_BUCKET,
        action: 'DELETE',
        ...ON_CALL,
      });
    // The first unlock, unless the S3 DELETE test above has already done it.
    expect(['UNLOCKED', 'NOTHING_TO_UNLOCK']).toContain((await unlock()).output?.outcome);
    const backups = await backupsOf(`arn:aws:s3:::${LOCKED_BUCKET}`);
    expect(backups).toHaveLength(1);
    const again = await unlock();
    expect(again.output).toMatchObject({ outcome: 'NOTHING_TO_UNLOCK' });
    expect(await backupsOf(`arn:aws:s3:::${LOCKED_BUCKET}`)).toEqual(backups);
  });
});

describe('Enable account recovery', () => {
  test('ENABLED creates a login profile; a second run is ALREADY_ENABLED', async () => {
    const first = await e2e.run('enableAccountRecovery', { accountId: RECOVERY, ...ON_CALL });
    expect(first.output).toMatchObject({ outcome: 'ENABLED' });
    expect(e2e.stack.sandbox.state.account(RECOVERY).rootCredentials.loginProfile).toBeDefined();
    const second = await e2e.run('enableAccountRecovery', { accountId: RECOVERY, ...ON_CALL });
    expect(second.output).toMatchObject({ outcome: 'ALREADY_ENABLED' });
  });
});

describe('Audit organization', () => {
  test('every ACTIVE member has a posture equal to the sandbox truth', async () => {
    const execution = await e2e.run('auditOrganization', { requestedBy: 'e2e', reason: 'end-to-end sweep' });
    expect(execution.output).toMatchObject({ outcome: 'AUDITED' });
    const postures = new Map(
      (await e2e.items())
        .filter((item) => item.SK === 'POSTURE')
        .map((item) => [String(item.PK).slice(8), item]),
    );
    const members = e2e.stack.sandbox.state
      .accounts()
      .filter((account) => account.id !== MANAGEMENT && account.status === 'ACTIVE');
    for (const account of members) {
      expect([account.id, postures.get(account.id)?.credentialsPresent]).toEqual([
        account.id,
        remainingCredentials(e2e.stack.sandbox, account.id).length > 0,
      ]);
    }
    expect(postures.has(MANAGEMENT)).toBe(false);
    expect(postures.has(SUSPENDED)).toBe(false);
  });
});

describe('root session secrets', () => {
  /** A dry-run delete: one root session, nothing changed (so the tests here also run alone). */
  const openRootSession = () =>
    e2e.run('deleteRootCredentials', { accountId: RECOVERY, dryRun: true, ...ON_CALL });

  test('sessions were issued, and none of their secrets or tokens is in a history, a log, the table or an event', async () => {
    const known = e2e.recorder.secrets.size;
    await openRootSession();
    // Its secret access key and session token.
    expect(e2e.recorder.secrets.size).toBeGreaterThanOrEqual(known + 2);
    expect(await e2e.leaks()).toEqual([]);
  });

  test('the scan is not blind: the logs were captured, and a planted secret is found', async () => {
    await openRootSession();
    expect(e2e.capture.text).toContain('sessionAccessKeyId');
    const [secret] = e2e.recorder.secrets;
    const planted = `planted ${String(secret)}\n`;
    process.stdout.write(planted);
    try {
      expect(await e2e.leaks()).toEqual([`logs: ${String(secret).slice(0, 6)}…`]);
    } finally {
      e2e.capture.withdraw(planted);
    }
  });

  test('run records carry the sessions access key ids, for CloudTrail', async () => {
    await openRootSession();
    const run = latestRun(await e2e.runsOf(RECOVERY), 'DeleteRootCredentials');
    const keyIds = String(run.sessionAccessKeyIds);
    expect([...e2e.recorder.accessKeyIds].some((id) => keyIds.includes(id))).toBe(true);
  });
});

test('every run announced its result on the default bus', async () => {
  // Two runs of its own, so that it has something to check when run alone.
  await e2e.run('enableAccountRecovery', { accountId: RECOVERY, ...ON_CALL });
  await e2e.run('deleteRootCredentials', { accountId: RECOVERY, requestedBy: 'e2e' });
  await e2e.stack.stepFunctions.waitForIdle();
  const announced = e2e.stack.bus.events
    .filter((recorded) => recorded.busName === 'default' && recorded.event.source === 'rootkeeper')
    .map((recorded) => recorded.event);
  expect(announced.every((event) => event['detail-type'] === 'Rootkeeper Run Result')).toBe(true);
  const announcedArns = new Set(announced.map((event) => event.detail.executionArn));
  // The audit's shard executions add to its summary run; they announce nothing of their own.
  const runs = e2e.stack.stepFunctions.store
    .all()
    .filter(
      (record) =>
        record.mapRunArn === undefined && !record.stateMachineArn.includes('AuditOrganizationShard'),
    );
  expect(runs.length).toBeGreaterThanOrEqual(2);
  expect(
    runs.filter((record) => !announcedArns.has(record.executionArn)).map((record) => record.name),
  ).toEqual([]);
});
