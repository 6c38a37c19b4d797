import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { FakeOrganization } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { HARNESS_START_TIMEOUT_MS, MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

export interface OnCallWorld {
  readonly org: FakeOrganization;
  readonly s3: AwsClientStub<S3Client>;
  readonly sqs: AwsClientStub<SQSClient>;
  /** Started before the file's tests. */
  readonly harness: WorkflowHarness;
}

/**
 * What the on-call workflow tests share, registered as the describe block's
 * hooks: the workflow harness; a fake organization with its management
 * account and the members `addMembers` adds, and mocked S3 and SQS, all
 * reset before each test; after each test, the scan of its logs, histories,
 * table and events for session secrets.
 */
export function onCallWorld(addMembers: (org: FakeOrganization) => void): OnCallWorld {
  const org = new FakeOrganization(MANAGEMENT_ACCOUNT);
  const s3 = mockClient(S3Client);
  const sqs = mockClient(SQSClient);
  let harness: WorkflowHarness | undefined;

  beforeAll(async () => {
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
    addMembers(org);
  });

  afterEach(async () => {
    if (harness !== undefined) await expectNoSessionSecrets(harness, org);
  });

  return {
    org,
    s3,
    sqs,
    get harness(): WorkflowHarness {
      if (harness === undefined) throw new Error('the harness did not start');
      return harness;
    },
  };
}
