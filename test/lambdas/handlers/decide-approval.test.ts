import { GetExecutionHistoryCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { createDecideApprovalHandler } from '../../../lambdas/handlers/decide-approval';
import { captureOutput, fakeContext } from './handler-fakes';

const sfnMock = mockClient(SFNClient);
const GATED = 'arn:aws:states:eu-west-1:111111111111:stateMachine:UnlockS3';
const REMEDIATION = 'arn:aws:states:eu-west-1:111111111111:stateMachine:RemediateOrganization';
const handler = createDecideApprovalHandler(() => ({
  sfn: new SFNClient({ region: 'eu-west-1' }),
  documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
  tableName: 'results',
  gatedStateMachineArns: [GATED],
  goAheadStateMachineArns: [REMEDIATION],
}));

const event = (body: unknown, userArn?: string) =>
  ({
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST' },
      authorizer: userArn === undefined ? undefined : { iam: { userArn } },
    },
  }) as unknown as LambdaFunctionURLEventWithIAMAuthorizer;

const BOB = 'arn:aws:sts::111111111111:assumed-role/Approvers/bob';
const run = `${GATED.replace(':stateMachine:', ':execution:')}:run-1`;

beforeEach(() => sfnMock.reset());

describe('Decide approval handler', () => {
  it('logs with its own invocation context: the function and the request that decided', async () => {
    const output = captureOutput();
    try {
      await handler(event('not json', BOB), {
        ...fakeContext,
        functionName: 'Rootkeeper-DecideApproval',
        awsRequestId: 'decide-request-7',
      });
    } finally {
      output.restore();
    }
    const line = output
      .text()
      .split('\n')
      .find((text) => text.includes('approval decision refused or failed'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      function_name: 'Rootkeeper-DecideApproval',
      function_request_id: 'decide-request-7',
      errorName: 'InvalidInputError',
    });
  });

  it('answers 403 without an authenticated caller, and calls nothing', async () => {
    const result = await handler(
      event({ executionArn: run, decision: 'APPROVE', reason: 'fine by me' }),
      fakeContext,
    );
    expect(result).toMatchObject({ statusCode: 403 });
    expect(sfnMock.calls()).toHaveLength(0);
  });

  it.each([
    ['not json', 'body'],
    [{ executionArn: run, decision: 'MAYBE', reason: 'fine by me' }, 'decision'],
    [{ executionArn: 'run-1', decision: 'APPROVE', reason: 'fine by me' }, 'executionArn'],
    [{ executionArn: run, decision: 'APPROVE' }, 'reason'],
    [
      {
        executionArn: 'arn:aws:states:eu-west-1:111111111111:execution:SomethingElse:run-1',
        decision: 'APPROVE',
        reason: 'fine by me',
      },
      'executionArn',
    ],
  ])('answers 400 naming the field for %j, and calls nothing', async (body, field) => {
    const result = await handler(event(body, BOB), fakeContext);
    expect(result).toMatchObject({ statusCode: 400 });
    const answer = JSON.parse(typeof result === 'string' ? result : (result.body ?? '{}')) as {
      message: string;
    };
    expect(answer.message.startsWith(`${field}:`)).toBe(true);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  describe('go-ahead of a remediation run', () => {
    const remediation = `${REMEDIATION.replace(':stateMachine:', ':execution:')}:rollout-1`;
    const answer = (result: Awaited<ReturnType<typeof handler>>) =>
      JSON.parse(typeof result === 'string' ? result : (result.body ?? '{}')) as Record<string, string>;

    it('answers 400 for a run of another workflow (an approval is not a go-ahead), and sends nothing', async () => {
      const result = await handler(event({ executionArn: run, decision: 'GO_AHEAD' }, BOB), fakeContext);
      expect(result).toMatchObject({ statusCode: 400 });
      expect(answer(result).message).toMatch(
        /^executionArn: .* not a run of the Remediate organization workflow/,
      );
      expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    });

    it('answers 409 when the run is not waiting for a go-ahead, and sends nothing', async () => {
      sfnMock.on(GetExecutionHistoryCommand).resolves({ events: [] });
      const result = await handler(
        event({ executionArn: remediation, decision: 'GO_AHEAD' }, BOB),
        fakeContext,
      );
      expect(result).toMatchObject({ statusCode: 409 });
      expect(answer(result)).toMatchObject({ error: 'ApprovalNotPendingError' });
      expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    });
  });
});
