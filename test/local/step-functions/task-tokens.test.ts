import {
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import {
  LocalStepFunctions,
  startStepFunctionsApi,
  type StepFunctionsApi,
} from '../../../local/step-functions';
import { UnsupportedDefinitionError } from '../../../local/step-functions/errors';
import { readTemplate } from '../../../local/template';
import { ACCOUNT, REGION } from './harness';
import { synthesizeTestStack, TEST_CATALOG } from './test-stack';

const CALLBACK = 'arn:aws:states:::events:putEvents.waitForTaskToken';

/** A definition whose first state waits for its token after announcing it on the bus. */
function waitingDefinition(task: Record<string, unknown> = {}, catchers: unknown[] = []) {
  return {
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: CALLBACK,
        Parameters: {
          Entries: [
            {
              Source: 'test',
              DetailType: 'Decision Requested',
              Detail: { 'token.$': '$$.Task.Token', 'question.$': '$.question' },
            },
          ],
        },
        ResultPath: '$.answer',
        ...(catchers.length > 0 ? { Catch: catchers } : {}),
        ...task,
        End: true,
      },
      ...(catchers.length > 0 ? { Caught: { Type: 'Pass', End: true } } : {}),
    } as Record<string, Record<string, unknown>> & { Ask: Record<string, unknown> },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('task tokens of the local runner (.waitForTaskToken, SendTask*)', () => {
  const base = readTemplate(synthesizeTestStack(), {
    catalog: TEST_CATALOG,
    region: REGION,
    accountId: ACCOUNT,
  });
  const runners: LocalStepFunctions[] = [];
  let api: StepFunctionsApi | undefined;
  let sfn: SFNClient;

  function deploy(definition: unknown): { runner: LocalStepFunctions; arn: string } {
    const [first] = base.stateMachines;
    if (first === undefined) throw new Error('no state machine');
    const runner = new LocalStepFunctions({
      template: { ...base, stateMachines: [{ ...first, definitionString: JSON.stringify(definition) }] },
      applyEnvironment: false,
    });
    runners.push(runner);
    return { runner, arn: first.arn };
  }

  async function start(definition: unknown, question = 'ship it?') {
    const { runner, arn } = deploy(definition);
    await api?.close();
    api = await startStepFunctionsApi(runner);
    sfn = new SFNClient({
      endpoint: api.url,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    const { executionArn } = runner.startExecution(arn, { input: { question } });
    // The token reaches the world only through the call the task makes.
    for (let i = 0; i < 200 && runner.publishedEvents.length === 0; i += 1) await sleep(5);
    const detail = JSON.parse(runner.publishedEvents[0]?.Detail ?? '{}') as {
      token: string;
      question: string;
    };
    return { runner, executionArn, token: detail.token, detail };
  }

  afterAll(async () => {
    await api?.close();
    await Promise.all(runners.map((runner) => runner.dispose()));
  });

  it('waits for SendTaskSuccess and takes its output as the result, with AWS history events', async () => {
    const { runner, executionArn, token, detail } = await start(waitingDefinition());
    expect(detail.question).toBe('ship it?');
    expect(token).toMatch(/^[A-Za-z0-9_-]{100}$/);
    await sleep(50);
    expect(runner.describeExecution(executionArn).status).toBe('RUNNING');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const record = await runner.waitForExecution(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toEqual({ question: 'ship it?', answer: { approved: true } });
    const types = record.history.map((event) => event.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = record.history.find((event) => event.type === 'TaskScheduled');
    expect(String(scheduled?.details?.parameters)).toContain(token);
    // A closed task: the token is spent.
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails the task with the error and cause of SendTaskFailure, which Catch matches by name', async () => {
    const { runner, executionArn, token } = await start(
      waitingDefinition({}, [{ ErrorEquals: ['Denied'], ResultPath: '$.denial', Next: 'Caught' }]),
    );
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Denied', cause: 'not today' }));
    const record = await runner.waitForExecution(executionArn);

    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toMatchObject({
      denial: { Error: 'Denied', Cause: 'not today' },
    });
    const failed = record.history.find((event) => event.type === 'TaskFailed');
    expect(failed?.details).toMatchObject({ error: 'Denied', cause: 'not today', resourceType: 'events' });
  });

  it('times the task out with States.Timeout after TimeoutSeconds (TaskTimedOut in the history)', async () => {
    const { runner, executionArn, token } = await start(waitingDefinition({ TimeoutSeconds: 1 }));
    const record = await runner.waitForExecution(executionArn);

    expect(record).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const timedOut = record.history.find((event) => event.type === 'TaskTimedOut');
    expect(timedOut?.details).toMatchObject({ error: 'States.Timeout', resourceType: 'events' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('times out with States.HeartbeatTimeout without heartbeats, and heartbeats keep the task alive', async () => {
    const quiet = await start(waitingDefinition({ TimeoutSeconds: 5, HeartbeatSeconds: 1 }));
    const silent = await quiet.runner.waitForExecution(quiet.executionArn);
    expect(silent).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });

    const alive = await start(waitingDefinition({ TimeoutSeconds: 5, HeartbeatSeconds: 1 }));
    for (let i = 0; i < 4; i += 1) {
      await sleep(500);
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: alive.token }));
    }
    // Two seconds in, twice the heartbeat interval: still waiting.
    expect(alive.runner.describeExecution(alive.executionArn).status).toBe('RUNNING');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: alive.token, output: '"done"' }));
    const record = await alive.runner.waitForExecution(alive.executionArn);
    expect(record.status).toBe('SUCCEEDED');
    expect(
      record.history.filter((event) => event.type.startsWith('Task')).map((event) => event.type),
    ).not.toContain('TaskHeartbeat');
  });

  it('answers InvalidToken, TaskDoesNotExist, InvalidOutput and TaskTimedOut as AWS does', async () => {
    const { runner, executionArn, token } = await start(waitingDefinition());
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'not-a-token' }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
    const unknown = `${token.slice(0, 14)}${'A'.repeat(token.length - 14)}`;
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: unknown }))).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    expect(runner.describeExecution(executionArn).status).toBe('RUNNING');

    runner.stopExecution(executionArn, 'Stopped', 'by the test');
    await runner.waitForExecution(executionArn);
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: token }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('refuses at load time a callback task without $$.Task.Token or with HeartbeatSeconds ≥ TimeoutSeconds', () => {
    const noToken = waitingDefinition();
    noToken.States.Ask.Parameters = { Entries: [{ Source: 'test', DetailType: 'x', Detail: {} }] };
    expect(() => deploy(noToken)).toThrow(UnsupportedDefinitionError);
    expect(() => deploy(noToken)).toThrow(/must pass \$\$\.Task\.Token/);
    expect(() => deploy(waitingDefinition({ TimeoutSeconds: 5, HeartbeatSeconds: 5 }))).toThrow(
      /HeartbeatSeconds must be smaller than TimeoutSeconds/,
    );
    const notCallback = waitingDefinition();
    notCallback.States.Ask.Resource = 'arn:aws:states:::events:putEvents';
    expect(() => deploy(notCallback)).toThrow(/\$\$\.Task\.Token in Parameters is not supported/);
  });
});
