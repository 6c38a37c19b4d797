import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { WorkflowKey } from '../../lib/workflows/names';
import { FakeOrganization } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { HARNESS_START_TIMEOUT_MS, MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

const MEMBER = '400000000001';
const asked = { requestedBy: 'oncall@example.com', reason: 'INC-42 locked out', ticket: 'INC-42' };

describe('On-call workflows: the synthesized definitions on the local runner', () => {
  const s3 = mockClient(S3Client);
  const sqs = mockClient(SQSClient);
  let org: FakeOrganization;
  let harness: WorkflowHarness;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start();
  }, HARNESS_START_TIMEOUT_MS);

  afterAll(async () => {
    await WorkflowHarness.closeAll();
    org.restore();
    s3.restore();
    sqs.restore();
  });

  beforeEach(() => {
    org.reset();
    s3.reset();
    sqs.reset();
    org.add(MANAGEMENT_ACCOUNT);
    org.add(MEMBER, {
      password: true,
      accessKeys: ['AKIAONCALLKEY0000001'],
      signingCertificates: [],
      mfaSerials: [],
    });
  });

  afterEach(async () => {
    await expectNoSessionSecrets(harness, org);
  });

  it.each<[WorkflowKey, Record<string, unknown>, string]>([
    ['deleteRootCredentials', { accountId: MEMBER, requestedBy: 'oncall@example.com' }, 'reason'],
    ['enableAccountRecovery', { accountId: 'not-an-id', ...asked }, 'accountId'],
    [
      'unlockS3BucketPolicy',
      { accountId: MEMBER, bucketName: 'Bad_Bucket!', action: 'DELETE', ...asked },
      'bucketName',
    ],
    [
      'unlockSqsQueuePolicy',
      {
        accountId: MEMBER,
        queueUrl: 'https://sqs.us-east-1.amazonaws.com/999999999999/q',
        action: 'DELETE',
        ...asked,
      },
      'queueUrl',
    ],
  ])('%s rejects bad input, naming the field, before any AWS call', async (workflow, input, field) => {
    const record = await harness.run(workflow, input);
    const output = JSON.parse(record.output ?? '{}') as {
      outcome: string;
      runKey: { PK: string; SK: string };
    };
    expect(output.outcome).toBe('REJECTED');
    expect([org.sts, org.iam, org.organizations, s3, sqs].map((mock) => mock.calls().length)).toEqual([
      0, 0, 0, 0, 0,
    ]);
    const [run] = await harness.query(output.runKey.PK, output.runKey.SK);
    expect(run).toMatchObject({ outcome: 'REJECTED', error: 'InvalidInputError' });
    expect(String(run?.errorCause)).toContain(field);
  });

  it('plans the deletion in a dry run and changes nothing', async () => {
    const record = await harness.run('deleteRootCredentials', { accountId: MEMBER, dryRun: true, ...asked });
    const output = JSON.parse(record.output ?? '{}') as {
      outcome: string;
      runKey: { PK: string; SK: string };
    };
    expect(output.outcome).toBe('PLANNED');
    expect(org.root(MEMBER)).toMatchObject({ password: true, accessKeys: ['AKIAONCALLKEY0000001'] });
    const [run] = await harness.query(output.runKey.PK, output.runKey.SK);
    expect(run).toMatchObject({ requestedBy: asked.requestedBy, reason: asked.reason, ticket: asked.ticket });
  });
});
