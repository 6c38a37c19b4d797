import type { WorkflowKey } from '../../lib/workflows/names';
import { onCallWorld } from './on-call-world';

const MEMBER = '400000000001';
const asked = { requestedBy: 'oncall@example.com', reason: 'INC-42 locked out', ticket: 'INC-42' };

describe('On-call workflows: the synthesized definitions on the local runner', () => {
  const world = onCallWorld((org) => {
    org.add(MEMBER, {
      password: true,
      accessKeys: ['AKIAONCALLKEY0000001'],
      signingCertificates: [],
      mfaSerials: [],
    });
  });
  const { org, s3, sqs } = world;

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
    const record = await world.harness.run(workflow, input);
    const output = JSON.parse(record.output ?? '{}') as {
      outcome: string;
      runKey: { PK: string; SK: string };
    };
    expect(output.outcome).toBe('REJECTED');
    expect([org.sts, org.iam, org.organizations, s3, sqs].map((mock) => mock.calls().length)).toEqual([
      0, 0, 0, 0, 0,
    ]);
    const [run] = await world.harness.query(output.runKey.PK, output.runKey.SK);
    expect(run).toMatchObject({ outcome: 'REJECTED', error: 'InvalidInputError' });
    expect(String(run?.errorCause)).toContain(field);
  });

  it('plans the deletion in a dry run and changes nothing', async () => {
    const record = await world.harness.run('deleteRootCredentials', {
      accountId: MEMBER,
      dryRun: true,
      ...asked,
    });
    const output = JSON.parse(record.output ?? '{}') as {
      outcome: string;
      runKey: { PK: string; SK: string };
    };
    expect(output.outcome).toBe('PLANNED');
    expect(org.root(MEMBER)).toMatchObject({ password: true, accessKeys: ['AKIAONCALLKEY0000001'] });
    const [run] = await world.harness.query(output.runKey.PK, output.runKey.SK);
    expect(run).toMatchObject({ requestedBy: asked.requestedBy, reason: asked.reason, ticket: asked.ticket });
  });
});
