import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { WorkflowKey } from '../../lib/workflows/names';
import { FakeOrganization } from './fake-organization';
import { expectNoSessionSecrets } from './secret-scan';
import { HARNESS_START_TIMEOUT_MS, MANAGEMENT_ACCOUNT, WorkflowHarness } from './workflow-harness';

/*
 * Input sent straight to a workflow (StartExecution, not the CLI) may hold
 * any JSON. Whatever it holds, the run is recorded: REJECTED, naming the
 * field, with no AWS call. An intrinsic function applied to a field of the
 * wrong type would instead fail the execution with no record.
 */

const MEMBER = '400000000001';
const asked = { requestedBy: 'oncall@example.com', reason: 'INC-42 locked out', ticket: 'INC-42' };

const WORKFLOW_INPUTS: readonly [WorkflowKey, Record<string, unknown>][] = [
  ['secureNewAccount', { accountId: MEMBER, requestId: 'req-1' }],
  ['deleteRootCredentials', { accountId: MEMBER, ...asked }],
  ['enableAccountRecovery', { accountId: MEMBER, ...asked }],
  ['unlockS3BucketPolicy', { accountId: MEMBER, bucketName: 'app-logs', action: 'DELETE', ...asked }],
  [
    'unlockSqsQueuePolicy',
    {
      accountId: MEMBER,
      queueUrl: `https://sqs.us-east-1.amazonaws.com/${MEMBER}/orders`,
      action: 'DELETE',
      ...asked,
    },
  ],
];

/** How each input is spoiled, and the field the rejection must name. */
const SPOILED: readonly [string, (input: Record<string, unknown>) => unknown, string][] = [
  ['an array as the whole input', (input) => [input], 'request'],
  ['a string as the whole input', () => MEMBER, 'request'],
  ['an array as accountId', (input) => ({ ...input, accountId: [MEMBER] }), 'accountId'],
  ['an object as accountId', (input) => ({ ...input, accountId: { id: MEMBER } }), 'accountId'],
  ['a number as accountId', (input) => ({ ...input, accountId: 400000000001 }), 'accountId'],
  ['an object as requestedBy', (input) => ({ ...input, requestedBy: { name: 'x' } }), 'requestedBy'],
  ['an array as reason', (input) => ({ ...input, reason: ['a', 'b', 'c'] }), 'reason'],
  ['an object as ticket', (input) => ({ ...input, ticket: { id: 7 } }), 'ticket'],
  ['a trailing newline in accountId', (input) => ({ ...input, accountId: `${MEMBER}\n` }), 'accountId'],
];

const CASES = WORKFLOW_INPUTS.flatMap(([workflow, input]) =>
  SPOILED.map(([how, spoil, field]) => [workflow, how, spoil(input), field] as const),
);

describe('Input of the wrong JSON type sent straight to a workflow', () => {
  const s3 = mockClient(S3Client);
  const sqs = mockClient(SQSClient);
  let org: FakeOrganization | undefined;
  let harness: WorkflowHarness | undefined;

  beforeAll(async () => {
    org = new FakeOrganization(MANAGEMENT_ACCOUNT);
    harness = await WorkflowHarness.start();
  }, HARNESS_START_TIMEOUT_MS);

  afterAll(async () => {
    await WorkflowHarness.closeAll();
    org?.restore();
    s3.restore();
    sqs.restore();
  });

  beforeEach(() => {
    org?.reset();
    s3.reset();
    sqs.reset();
    org?.add(MANAGEMENT_ACCOUNT);
    org?.add(MEMBER, {
      password: true,
      accessKeys: ['AKIAMALFORMED0000001'],
      signingCertificates: [],
      mfaSerials: [],
    });
  });

  test.each(CASES)(
    '%s with %s is recorded REJECTED naming the field, with no AWS call',
    async (workflow, _how, input, field) => {
      if (harness === undefined || org === undefined) throw new Error('the harness did not start');
      // Act
      const record = await harness.run(workflow, input);
      // Assess
      expect(record.status).toBe('SUCCEEDED');
      const output = JSON.parse(record.output ?? '{}') as {
        outcome: string;
        runKey: { PK: string; SK: string };
      };
      expect(output.outcome).toBe('REJECTED');
      const [run] = await harness.query(output.runKey.PK, output.runKey.SK);
      expect(run).toMatchObject({
        outcome: 'REJECTED',
        error: 'InvalidInputError',
      });
      expect(String(run?.errorCause)).toContain(`${field}: `);
      expect([org.sts, org.iam, org.organizations, s3, sqs].map((mock) => mock.calls().length)).toEqual([
        0, 0, 0, 0, 0,
      ]);
      expect(org.root(MEMBER)).toMatchObject({ password: true, accessKeys: ['AKIAMALFORMED0000001'] });
      await expectNoSessionSecrets(harness, org);
    },
  );
});
