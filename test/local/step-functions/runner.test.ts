import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { LocalStepFunctions } from '../../../local/step-functions';
import { calls } from './fixtures/flaky-handler';
import { resetStats, stats } from './fixtures/item-handler';
import { createRunner, machineArn, startDynalite, TABLE, type LocalDynamo } from './harness';

describe('local Step Functions runner (synthesized test stack)', () => {
  let dynamo: LocalDynamo;
  let runner: LocalStepFunctions;

  beforeAll(async () => {
    dynamo = await startDynalite();
    runner = createRunner(dynamo);
  });

  afterAll(async () => {
    await runner.dispose();
    await dynamo.close();
  });

  const pipeline = () => machineArn(runner, 'Pipeline');

  it('runs the Lambda state with the real module in process, with the function environment', async () => {
    const record = await runner.runExecution(pipeline(), { name: 'echo-1', input: { id: 'r1' } });
    expect(record.status).toBe('SUCCEEDED');
    const output = JSON.parse(record.output ?? '{}') as { echo: Record<string, unknown> };
    expect(output.echo).toEqual({
      received: { id: 'r1' },
      functionName: expect.stringMatching(/^EchoFunction/) as unknown,
      tableFromEnvironment: TABLE,
      remainingMs: true,
    });
    const types = record.history.map((event) => event.type);
    expect(types.slice(0, 6)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
    ]);
    expect(types).toContain('ChoiceStateEntered');
    expect(types[types.length - 1]).toBe('ExecutionSucceeded');
    expect(record.history.map((event) => event.id)).toEqual(record.history.map((_e, i) => i + 1));
  });

  it('writes the putItem into dynalite with the evaluated parameters (Format, JsonToString)', async () => {
    await runner.runExecution(pipeline(), { name: 'put-1', input: { id: 'r2' } });
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'REQUEST#r2' }, SK: { S: 'CLAIM' } } }),
    );
    expect(JSON.parse(Item?.echo?.S ?? '{}')).toMatchObject({ received: { id: 'r2' } });
  });

  it('names a failed condition as AWS does, so the Catch on it matches', async () => {
    await runner.runExecution(pipeline(), { name: 'dup-1', input: { id: 'r3' } });
    const record = await runner.runExecution(pipeline(), { name: 'dup-2', input: { id: 'r3' } });
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('DuplicateRequest');
    const failed = record.history.find((event) => event.type === 'TaskFailed');
    expect(failed?.details).toMatchObject({
      resourceType: 'dynamodb',
      resource: 'putItem',
      error: 'DynamoDB.ConditionalCheckFailedException',
      cause: expect.stringContaining('Error Code: ConditionalCheckFailedException') as unknown,
    });
  });

  it('puts the result event with its Detail serialized', async () => {
    const record = await runner.runExecution(pipeline(), { name: 'event-1', input: { id: 'r4' } });
    const event = runner.publishedEvents.find((entry) => entry.Detail?.includes('"r4"'));
    expect(event).toMatchObject({ Source: 'rootkeeper', DetailType: 'Rootkeeper Run Result' });
    expect(JSON.parse(event?.Detail ?? '{}')).toEqual({ id: 'r4', execution: record.executionArn });
    const output = JSON.parse(record.output ?? '{}') as { announced: { FailedEntryCount: number } };
    expect(output.announced.FailedEntryCount).toBe(0);
  });

  it('starts the child workflow, and a second start of the same name fails as AWS names it', async () => {
    const record = await runner.runExecution(pipeline(), { name: 'child-1', input: { id: 'r5' } });
    const output = JSON.parse(record.output ?? '{}') as {
      child: { ExecutionArn: string; StartDate: number };
    };
    expect(output.child.ExecutionArn).toBe(
      'arn:aws:states:eu-west-1:123456789012:execution:ChildDAB30558:child-r5',
    );
    const child = await runner.waitForExecution(output.child.ExecutionArn);
    expect(child.status).toBe('SUCCEEDED');
    expect(JSON.parse(child.output ?? '{}')).toEqual({ parent: 'child-1' });
  });

  it('fails the startExecution state as AWS names it when the child name is taken', async () => {
    const childArn = machineArn(runner, 'Child');
    await runner.runExecution(childArn, { name: 'child-r8' });
    const record = await runner.runExecution(pipeline(), { name: 'child-2', input: { id: 'r8' } });
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('StepFunctions.ExecutionAlreadyExistsException');
    expect(record.cause).toContain('Error Code: ExecutionAlreadyExists');
  });

  it('keeps StartExecution idempotent as AWS documents it', async () => {
    const slow = machineArn(runner, 'Slow');
    const first = runner.startExecution(slow, { name: 'slow-1', input: '{"a":1}' });
    expect(runner.startExecution(slow, { name: 'slow-1', input: '{"a":1}' })).toEqual(first);
    expect(() => runner.startExecution(slow, { name: 'slow-1', input: '{"a":2}' })).toThrow(
      expect.objectContaining({ type: 'ExecutionAlreadyExists' }) as Error,
    );
    runner.stopExecution(first.executionArn, 'Stopped', 'by the test');
    const stopped = await runner.waitForExecution(first.executionArn);
    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'by the test' });
    expect(stopped.history[stopped.history.length - 1]?.type).toBe('ExecutionAborted');
    expect(() => runner.startExecution(slow, { name: 'slow-1', input: '{"a":1}' })).toThrow(
      expect.objectContaining({ type: 'ExecutionAlreadyExists' }) as Error,
    );
    expect(() => runner.startExecution(slow, { name: 'bad name' })).toThrow(
      expect.objectContaining({ type: 'InvalidName' }) as Error,
    );
    expect(() => runner.startExecution(slow, { input: '{' })).toThrow(
      expect.objectContaining({ type: 'InvalidExecutionInput' }) as Error,
    );
  });

  it('retries a named handler error, then succeeds', async () => {
    const flaky = machineArn(runner, 'FlakyWorkflow');
    const record = await runner.runExecution(flaky, { input: { key: 'twice', failTimes: 2 } });
    expect(record.status).toBe('SUCCEEDED');
    expect(JSON.parse(record.output ?? '{}')).toEqual({ key: 'twice', attempts: 3 });
    expect(calls.filter((key) => key === 'twice')).toHaveLength(3);
    const failures = record.history.filter((event) => event.type === 'LambdaFunctionFailed');
    expect(failures.map((event) => event.details?.error)).toEqual(['ThrottledError', 'ThrottledError']);
    expect(record.lambdaInvocations).toBe(3);
    // 1 state entered + 2 retries, as AWS bills them.
    expect(record.stateTransitions).toBe(3);
  });

  it('catches the error once the retries are spent, with the Lambda error payload as Cause', async () => {
    const flaky = machineArn(runner, 'FlakyWorkflow');
    const record = await runner.runExecution(flaky, { input: { key: 'always', failTimes: 10 } });
    expect(record.status).toBe('SUCCEEDED');
    const output = JSON.parse(record.output ?? '{}') as { error: string; cause: Record<string, unknown> };
    expect(output.error).toBe('ThrottledError');
    expect(output.cause).toMatchObject({ errorType: 'ThrottledError', errorMessage: 'throttled 3 of 10' });
    expect(calls.filter((key) => key === 'always')).toHaveLength(3);
  });

  it('runs a Distributed Map as child executions, MaxConcurrency bounded, progress counted', async () => {
    resetStats();
    const items = Array.from({ length: 7 }, (_v, i) => i + 1);
    const record = await runner.runExecution(pipeline(), {
      name: 'map-1',
      input: { id: 'r6', items, failItems: false },
    });
    expect(record.status).toBe('SUCCEEDED');
    expect(stats.calls).toBe(7);
    expect(stats.peak).toBe(2);
    const output = JSON.parse(record.output ?? '{}') as { processed: unknown[] };
    expect(output.processed).toEqual(items.map((value) => ({ doubled: value * 2 })));
    const [run] = runner.listMapRuns(record.executionArn);
    expect(run).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 2 });
    expect(run?.itemCounts).toEqual({
      total: 7,
      pending: 0,
      running: 0,
      succeeded: 7,
      failed: 0,
      aborted: 0,
    });
    const children = runner.listExecutions({ mapRunArn: run?.mapRunArn });
    expect(children).toHaveLength(7);
    expect(runner.listExecutions({ stateMachineArn: pipeline() }).map((r) => r.executionArn)).not.toContain(
      children[0]?.executionArn,
    );
    const types = record.history.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(['MapStateEntered', 'MapRunStarted', 'MapRunSucceeded', 'MapStateExited']),
    );
    const metrics = runner.metrics(record.executionArn);
    expect(metrics.executions).toBe(8);
    expect(metrics.lambdaInvocations).toBe(8);
    expect(metrics.lambdaInvocationsByFunction).toEqual({ EchoFunction6DF99D59: 1, ItemFunction6A9A04DD: 7 });
  });

  it('fails the map run on a failed child with States.ExceedToleratedFailureThreshold', async () => {
    const record = await runner.runExecution(pipeline(), {
      name: 'map-2',
      input: { id: 'r7', items: [1, 2, 3], failItems: true },
    });
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('States.ExceedToleratedFailureThreshold');
    const [run] = runner.listMapRuns(record.executionArn);
    expect(run?.status).toBe('FAILED');
    expect(run?.itemCounts.failed).toBeGreaterThanOrEqual(1);
    const child = runner.listExecutions({ mapRunArn: run?.mapRunArn, statusFilter: 'FAILED' })[0];
    expect(child?.error).toBe('RangeError');
  });
});
