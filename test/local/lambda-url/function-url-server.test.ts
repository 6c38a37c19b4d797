import type { Context } from 'aws-lambda';
import { signedPost } from '../../../cli/signed-request';
import {
  startFunctionUrlServer,
  type FunctionUrlServer,
} from '../../../local/lambda-url/function-url-server';

const ALICE = {
  accessKeyId: 'AKIALOCALALICE000001',
  secretAccessKey: 'alice-secret-0000000000000000000000000000',
  account: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:user/alice',
};
const REGION = 'eu-west-1';

describe('the local function URL (AuthType AWS_IAM)', () => {
  let server: FunctionUrlServer;
  const seen: string[] = [];
  const contexts: Context[] = [];

  beforeAll(async () => {
    server = await startFunctionUrlServer({
      region: REGION,
      account: '111111111111',
      keyHolder: (accessKeyId) => (accessKeyId === ALICE.accessKeyId ? ALICE : undefined),
      function: {
        name: 'Rootkeeper-DecideApproval',
        arn: 'arn:aws:lambda:us-east-1:111111111111:function:Rootkeeper-DecideApproval',
        memorySizeMb: 256,
        timeoutSeconds: 10,
      },
      handler: (event, context) => {
        seen.push(event.requestContext.authorizer.iam.userArn);
        contexts.push(context);
        return Promise.resolve({
          statusCode: 200,
          body: JSON.stringify({ caller: event.requestContext.authorizer.iam.userArn, body: event.body }),
        });
      },
    });
  });

  afterAll(() => server.close());

  async function post(secretAccessKey: string, body = '{"a":1}', tamper?: (body: string) => string) {
    const request = await signedPost(
      new URL(server.url),
      body,
      { accessKeyId: ALICE.accessKeyId, secretAccessKey },
      REGION,
    );
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: tamper ? tamper(body) : body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  }

  it('invokes the handler with the caller whose key signed the request', async () => {
    const answer = await post(ALICE.secretAccessKey);
    expect(answer).toEqual({ status: 200, body: { caller: ALICE.principalArn, body: '{"a":1}' } });
  });

  it("gives each invocation the function's own context and a request id of its own", async () => {
    await post(ALICE.secretAccessKey);
    await post(ALICE.secretAccessKey);
    const [first, second] = contexts.slice(-2);
    expect(first).toMatchObject({
      functionName: 'Rootkeeper-DecideApproval',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:Rootkeeper-DecideApproval',
      memoryLimitInMB: '256',
    });
    expect(first?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(first?.getRemainingTimeInMillis()).toBeLessThanOrEqual(10_000);
    expect(first?.awsRequestId).not.toBe(second?.awsRequestId);
  });

  it('answers 403 Forbidden, without invoking, for a wrong secret, a changed body, an unknown key or no signature', async () => {
    const before = seen.length;
    expect(await post('not-alice-secret')).toEqual({ status: 403, body: { Message: 'Forbidden' } });
    expect((await post(ALICE.secretAccessKey, '{"a":1}', () => '{"a":2}')).status).toBe(403);
    const stranger = await signedPost(
      new URL(server.url),
      '{}',
      { accessKeyId: 'AKIASTRANGER00000001', secretAccessKey: 'x' },
      REGION,
    );
    expect(
      (await fetch(stranger.url, { method: 'POST', headers: stranger.headers, body: '{}' })).status,
    ).toBe(403);
    expect((await fetch(server.url, { method: 'POST', body: '{}' })).status).toBe(403);
    expect(seen.length).toBe(before);
  });
});
