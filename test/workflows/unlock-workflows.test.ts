import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { sessionSecretLeaks } from './secret-scan';
import { onCallWorld } from './on-call-world';

const MEMBER = '400000000002';
const BUCKET = 'locked-out-bucket';
const QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${MEMBER}/orders`;
const asked = { requestedBy: 'oncall@example.com', reason: 'INC-43 locked out', ticket: 'INC-43' };

// Quotes, a backslash, a slash and non-ASCII: every character JSON escapes or might.
const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll \\"quoted\\" \\\\ é","Effect":"Deny","Principal":"*",' +
  `"Action":"s3:*","Resource":["arn:aws:s3:::${BUCKET}","arn:aws:s3:::${BUCKET}/*"]}]}`;
const SQS_POLICY = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"${MEMBER}"},"Action":"sqs:SendMessage","Resource":"*"}]}`;

const noPolicy = () =>
  Object.assign(new Error('The bucket policy does not exist'), {
    name: 'NoSuchBucketPolicy',
    $fault: 'client',
    $metadata: { httpStatusCode: 404 },
  });

interface Output {
  outcome: string;
  outcomeReason: string;
  runKey: { PK: string; SK: string };
}

describe('Unlock workflows: the synthesized definitions on the local runner', () => {
  const world = onCallWorld((org) => {
    org.add(MEMBER);
  });
  const { org, s3, sqs } = world;

  async function runOf(record: {
    output?: string;
  }): Promise<{ output: Output; run: Record<string, unknown> }> {
    const output = JSON.parse(record.output ?? '{}') as Output;
    const [run] = await world.harness.query(output.runKey.PK, output.runKey.SK);
    if (run === undefined) throw new Error(`no run ${output.runKey.SK}`);
    return { output, run };
  }

  async function backupsOf(resourceArn: string): Promise<Record<string, unknown>[]> {
    return world.harness.query(`RESOURCE#${resourceArn}`, 'BACKUP#');
  }

  /** before / actions / after as stored: each must be JSON text. */
  function parsedRecord(run: Record<string, unknown>): Record<'before' | 'actions' | 'after', unknown> {
    const parse = (field: string): unknown => {
      const text = run[field];
      expect(typeof text).toBe('string');
      return JSON.parse(text as string) as unknown;
    };
    return { before: parse('before'), actions: parse('actions'), after: parse('after') };
  }

  it('REPLACE on a bucket with no policy (a restore after a delete) puts the document and records UNLOCKED', async () => {
    s3.on(GetBucketPolicyCommand).rejects(noPolicy());
    s3.on(PutBucketPolicyCommand).resolves({});
    const record = await world.harness.run('unlockS3BucketPolicy', {
      accountId: MEMBER,
      bucketName: BUCKET,
      action: 'REPLACE',
      replacementPolicy: POLICY,
      ...asked,
    });
    expect(record.status).toBe('SUCCEEDED');
    const { output, run } = await runOf(record);
    expect(output).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'REPLACED' });
    expect(run).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'REPLACED' });
    const put = s3.commandCalls(PutBucketPolicyCommand);
    expect(put).toHaveLength(1);
    expect(put[0]?.args[0].input).toEqual({ Bucket: BUCKET, Policy: POLICY });
    // Nothing was there to back up.
    expect(await backupsOf(`arn:aws:s3:::${BUCKET}`)).toEqual([]);
    const { before, after } = parsedRecord(run);
    expect(before).toMatchObject({ policy: null, policySha256: null });
    expect(after).toMatchObject({ outcome: 'REPLACED' });
    expect(JSON.parse(String(run.sessionAccessKeyIds))).toHaveLength(2);
  });

  it('DELETE on a bucket with no policy is NOTHING_TO_UNLOCK and changes nothing', async () => {
    s3.on(GetBucketPolicyCommand).rejects(noPolicy());
    const record = await world.harness.run('unlockS3BucketPolicy', {
      accountId: MEMBER,
      bucketName: BUCKET,
      action: 'DELETE',
      ...asked,
    });
    const { output } = await runOf(record);
    expect(output.outcome).toBe('NOTHING_TO_UNLOCK');
    expect(s3.commandCalls(PutBucketPolicyCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteBucketPolicyCommand)).toHaveLength(0);
  });

  it('REPLACE on a queue with no policy sets the document and records UNLOCKED', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: {} });
    sqs.on(SetQueueAttributesCommand).resolves({});
    const record = await world.harness.run('unlockSqsQueuePolicy', {
      accountId: MEMBER,
      queueUrl: QUEUE_URL,
      action: 'REPLACE',
      replacementPolicy: SQS_POLICY,
      ...asked,
    });
    const { output } = await runOf(record);
    expect(output).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'REPLACED' });
    expect(sqs.commandCalls(SetQueueAttributesCommand)[0]?.args[0].input).toMatchObject({
      Attributes: { Policy: SQS_POLICY },
    });
  });

  it('stores before / actions / after of an unlock as JSON text holding the policy byte for byte', async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    s3.on(DeleteBucketPolicyCommand).resolves({});
    const record = await world.harness.run('unlockS3BucketPolicy', {
      accountId: MEMBER,
      bucketName: BUCKET,
      action: 'DELETE',
      ...asked,
    });
    const { output, run } = await runOf(record);
    expect(output).toMatchObject({ outcome: 'UNLOCKED', outcomeReason: 'DELETED' });
    const stored = parsedRecord(run);
    expect((stored.before as { policy: unknown }).policy).toBe(POLICY);
    expect(stored.actions).toMatchObject({ outcome: 'DELETED' });
    expect(stored.after).toMatchObject({ outcome: 'DELETED' });
    // The workflow's output carries the same JSON text.
    const result = JSON.parse(record.output ?? '{}') as Record<string, string>;
    expect((JSON.parse(result.before ?? 'null') as { policy: unknown }).policy).toBe(POLICY);
    const [backup] = await backupsOf(`arn:aws:s3:::${BUCKET}`);
    expect(backup?.policy).toBe(POLICY);
  });

  it("the secret scan reads the handlers' logs: each root session is logged by key id, and a secret written there is found", async () => {
    s3.on(GetBucketPolicyCommand).resolves({ Policy: POLICY });
    s3.on(DeleteBucketPolicyCommand).resolves({});
    const loggedBefore = world.harness.logs.length;
    const secretsBefore = org.secrets.length;
    await world.harness.run('unlockS3BucketPolicy', {
      accountId: MEMBER,
      bucketName: BUCKET,
      action: 'DELETE',
      ...asked,
    });
    // Two sessions (read, then delete), each logged by the handler with its key id only.
    expect(world.harness.logs.slice(loggedBefore).match(/root session opened/g)).toHaveLength(2);
    const [secret = ''] = org.secrets.slice(secretsBefore);
    expect(org.secrets.slice(secretsBefore)).toHaveLength(4);
    const planted = `a careless handler would log ${secret}`;
    console.log(planted);
    try {
      expect(await sessionSecretLeaks(world.harness, org)).toEqual([`handler logs: ${secret.slice(0, 6)}…`]);
    } finally {
      world.harness.forgetLogged(planted);
    }
  });

  it('stores a queue REPLACE record as JSON text holding the original policy', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: SQS_POLICY } });
    sqs.on(SetQueueAttributesCommand).resolves({});
    const record = await world.harness.run('unlockSqsQueuePolicy', {
      accountId: MEMBER,
      queueUrl: QUEUE_URL,
      action: 'REPLACE',
      replacementPolicy: SQS_POLICY.replace('SendMessage', 'ReceiveMessage'),
      ...asked,
    });
    const { output, run } = await runOf(record);
    expect(output.outcome).toBe('UNLOCKED');
    const stored = parsedRecord(run);
    expect((stored.before as { policy: unknown }).policy).toBe(SQS_POLICY);
  });
});
