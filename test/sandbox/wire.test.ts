/** The raw wire shapes, for clients other than the JavaScript SDK. */
import { request } from 'node:http';
import type { Sandbox } from '../../sandbox';
import { INVITED, LOCKED_BUCKET, LOCKED_POLICY, assumeRoot, startTestSandbox } from './helpers';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  sandbox: Sandbox,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const req = request(
      `${sandbox.endpoint}${options.path ?? '/'}`,
      { method: options.method ?? 'POST', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body ?? '');
  });
}

const scope = (akid: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=${akid}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

describe('sandbox wire shapes', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  test('a query request without credentials is MissingAuthenticationToken in the ErrorResponse shape', async () => {
    const answer = await send(sandbox, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(
      /^<ErrorResponse xmlns="[^"]+"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>.+<\/Message><\/Error><RequestId>[\w-]+<\/RequestId><\/ErrorResponse>$/,
    );
  });

  test('an unknown query action is InvalidAction', async () => {
    const answer = await send(sandbox, {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: scope(sandbox.managementCredentials.accessKeyId, 'iam'),
      },
      body: 'Action=CreateUser&Version=2010-05-08&UserName=x',
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>InvalidAction</Code>');
  });

  test('Organizations errors are JSON with __type; an unknown key is UnrecognizedClientException', async () => {
    const answer = await send(sandbox, {
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts',
        authorization: scope('AKIANOBODY0000000000', 'organizations'),
      },
      body: '{}',
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'UnrecognizedClientException' });
  });

  test('SQS errors carry x-amzn-query-error', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    const answer = await send(sandbox, {
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.GetQueueUrl',
        'x-amz-security-token': session.sessionToken ?? '',
        authorization: scope(session.accessKeyId, 'sqs'),
      },
      body: JSON.stringify({ QueueName: 'missing' }),
    });
    expect(answer.headers['x-amzn-query-error']).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'com.amazonaws.sqs#QueueDoesNotExist' });
  });

  test('SQS also speaks the query protocol of older clients', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'SQSUnlockQueuePolicy');
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-amz-security-token': session.sessionToken ?? '',
      authorization: scope(session.accessKeyId, 'sqs'),
    };
    const url = encodeURIComponent(`https://sqs.us-east-1.amazonaws.com/${INVITED}/invited-queue`);
    const got = await send(sandbox, {
      headers,
      body: `Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=${url}&AttributeName.1=Policy`,
    });
    expect(got.status).toBe(200);
    expect(got.body).toContain('<GetQueueAttributesResult><Attribute><Name>Policy</Name><Value>');
    const removed = await send(sandbox, {
      headers,
      body: `Action=SetQueueAttributes&Version=2012-11-05&QueueUrl=${url}&Attribute.1.Name=Policy&Attribute.1.Value=`,
    });
    expect(removed.status).toBe(200);
    expect(sandbox.state.queue(INVITED, 'invited-queue')?.attributes.Policy).toBeUndefined();
    const missing = await send(sandbox, {
      headers,
      body: 'Action=GetQueueUrl&Version=2012-11-05&QueueName=nope',
    });
    expect(missing.body).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });

  test('S3 answers virtual-hosted requests and aws-chunked bodies', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'S3UnlockBucketPolicy');
    const auth = {
      'x-amz-security-token': session.sessionToken ?? '',
      authorization: scope(session.accessKeyId, 's3'),
    };
    const got = await send(sandbox, {
      method: 'GET',
      path: '/?policy',
      headers: { ...auth, host: `${LOCKED_BUCKET}.s3.us-east-1.amazonaws.com` },
    });
    expect(got).toMatchObject({ status: 200, body: LOCKED_POLICY });
    const policy = `{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::${LOCKED_BUCKET}/*"}}`;
    const chunked = `${policy.length.toString(16)};chunk-signature=00\r\n${policy}\r\n0;chunk-signature=00\r\n\r\n`;
    const put = await send(sandbox, {
      method: 'PUT',
      path: `/${LOCKED_BUCKET}?policy`,
      headers: {
        ...auth,
        'content-encoding': 'aws-chunked',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      },
      body: chunked,
    });
    expect(put.status).toBe(204);
    expect(sandbox.state.bucket(LOCKED_BUCKET)?.policy).toBe(policy);
  });
});
