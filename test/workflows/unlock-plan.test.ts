import { createHash } from 'node:crypto';
import { DeleteBucketPolicyCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { RUN_RECORD_SCHEMA_VERSION } from '../../lib/run-record-schema-version';
import { FakeOrganization } from './fake-organization';
import { MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

/**
 * The unlock workflow's read-only plan (dryRun), a request pinned to the
 * policy its requester was shown (expectedPolicySha256), restores recorded
 * as RESTORED, and what every run record carries: its schemaVersion and the
 * bucket it targeted, failures included.
 */

const MEMBER = '400000000002';
const BUCKET = 'planned-bucket';
const POLICY = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::${BUCKET}/*"}]}`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const asked = { requestedBy: 'oncall@example.com', reason: 'INC-44 locked out' };

describe('Unlock workflow: plan, pin, restore and what the record carries', () => {
  const s3 = mockClient(S3Client);
  let org: FakeOrganization;
  let harness: WorkflowHarness;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start();
  }, 180_000);

  afterAll(async () => {
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

  async function recordOf(input: Record<string, unknown>) {
    const execution = await harness.run('unlockS3BucketPolicy', {
      accountId: MEMBER,
      bucketName: BUCKET,
      action: 'DELETE',
      ...asked,
      ...input,
    });
    const runs = await harness.query(`ACCOUNT#${MEMBER}`);
    const run = runs.find((item) => item.executionArn === execution.executionArn);
    if (run === undefined) throw new Error('no run record');
    return { execution, run };
  }

  it('a dry run reads the policy, records PLANNED with it, and changes nothing', async () => {
    const { execution, run } = await recordOf({ dryRun: true });
    expect(execution.status).toBe('SUCCEEDED');
    expect(run).toMatchObject({
      outcome: 'PLANNED',
      target: BUCKET,
      schemaVersion: String(RUN_RECORD_SCHEMA_VERSION),
    });
    expect(JSON.parse(String(run.before))).toMatchObject({ policy: POLICY, policySha256: sha256(POLICY) });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
    expect(await harness.query(`RESOURCE#arn:aws:s3:::${BUCKET}`, 'BACKUP#')).toEqual([]);
  });

  it('a request pinned to another policy than the one read fails as PolicyChangedSincePlanError and changes nothing', async () => {
    const { execution, run } = await recordOf({ expectedPolicySha256: sha256('{"another":"policy"}') });
    expect(execution.status).toBe('FAILED');
    expect(run).toMatchObject({ outcome: 'FAILED', error: 'PolicyChangedSincePlanError', target: BUCKET });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
  });

  it('a request pinned to "no policy" fails when there is one', async () => {
    const { run } = await recordOf({
      action: 'REPLACE',
      replacementPolicy: POLICY,
      expectedPolicySha256: 'NO_POLICY',
    });
    expect(run).toMatchObject({ outcome: 'FAILED', error: 'PolicyChangedSincePlanError' });
  });

  it('a request pinned to the policy read goes on and unlocks', async () => {
    const { run } = await recordOf({ expectedPolicySha256: sha256(POLICY) });
    expect(run).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'DELETED', target: BUCKET });
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(1);
  });

  it('a request that names the backup it restores is recorded as RESTORED', async () => {
    const { run } = await recordOf({ restoresBackup: 'unlock-s3-400000000002-0123456789abcdef0123' });
    expect(run).toMatchObject({ outcome: 'RESTORED', outcomeReason: 'DELETED' });
  });

  it('a failed unlock records the bucket it targeted', async () => {
    s3.on(GetBucketPolicyCommand).rejects(
      Object.assign(new Error('Access Denied'), {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const { run } = await recordOf({});
    expect(run).toMatchObject({ outcome: 'FAILED', target: BUCKET, schemaVersion: '1' });
  });

  it('a rejected request still records the bucket it named', async () => {
    const { run } = await recordOf({ reason: 'x' });
    expect(run).toMatchObject({ outcome: 'REJECTED', target: BUCKET });
  });
});
