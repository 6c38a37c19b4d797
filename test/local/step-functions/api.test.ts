import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListMapRunsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { LocalStepFunctions } from '../../../local/step-functions';
import { createRunner, machineArn, REGION, startDynalite, type LocalDynamo } from './harness';
import { startStepFunctionsApiClient, type StepFunctionsApiClient } from './api-client';

describe('local Step Functions API through @aws-sdk/client-sfn', () => {
  let dynamo: LocalDynamo;
  let runner: LocalStepFunctions;
  let client: StepFunctionsApiClient;
  let sfn: SFNClient;

  beforeAll(async () => {
    dynamo = await startDynalite();
    runner = createRunner(dynamo);
    client = await startStepFunctionsApiClient(runner, REGION);
    sfn = client.sfn;
  });

  afterAll(async () => {
    await client.close();
    await runner.dispose();
    await dynamo.close();
  });

  it('starts, describes, lists and reads the history of an execution', async () => {
    const stateMachineArn = machineArn(runner, 'Pipeline');
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'api-1',
        input: JSON.stringify({ id: 'a1', items: [1, 2, 3], failItems: false }),
      }),
    );
    expect(started.executionArn).toBe(`${stateMachineArn.replace(':stateMachine:', ':execution:')}:api-1`);
    expect(started.startDate).toBeInstanceOf(Date);
    await runner.waitForExecution(started.executionArn ?? '');

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'api-1', stateMachineArn });
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.output ?? '{}')).toMatchObject({
      processed: [{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }],
    });

    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, maxResults: 1000 }),
    );
    const events = history.events ?? [];
    expect(events[0]).toMatchObject({ id: 1, type: 'ExecutionStarted' });
    expect(events[0]?.timestamp).toBeInstanceOf(Date);
    expect(events[0]?.executionStartedEventDetails?.input).toBe(described.input);
    expect(
      events.find((e) => e.type === 'LambdaFunctionSucceeded')?.lambdaFunctionSucceededEventDetails?.output,
    ).toBeDefined();
    expect(events.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'dynamodb',
      resource: 'putItem',
      region: REGION,
    });
    expect(events.find((e) => e.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn).toContain(
      ':mapRun:',
    );
    expect(events[events.length - 1]?.executionSucceededEventDetails?.output).toBe(described.output);

    const firstPage = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: started.executionArn,
        maxResults: 2,
        reverseOrder: true,
      }),
    );
    expect(firstPage.events?.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'MapStateExited']);
    const secondPage = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: started.executionArn,
        maxResults: 2,
        reverseOrder: true,
        nextToken: firstPage.nextToken,
      }),
    );
    expect(secondPage.events?.[0]?.id).toBe(events.length - 2);

    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }));
    expect(listed.executions?.map((e) => e.name)).toContain('api-1');
    const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'FAILED' }));
    expect(failed.executions?.map((e) => e.name)).not.toContain('api-1');
  });

  it('reports the Distributed Map run and its item counts', async () => {
    const stateMachineArn = machineArn(runner, 'Pipeline');
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: 'api-map',
        input: JSON.stringify({ id: 'a2', items: [1, 2, 3, 4], failItems: false }),
      }),
    );
    await runner.waitForExecution(executionArn ?? '');
    const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
    expect(mapRuns).toHaveLength(1);
    const run = await sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRuns?.[0]?.mapRunArn }));
    expect(run).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 2, toleratedFailureCount: 0 });
    expect(run.itemCounts).toMatchObject({ total: 4, succeeded: 4, failed: 0, running: 0, pending: 0 });
    const children = await sfn.send(new ListExecutionsCommand({ mapRunArn: mapRuns?.[0]?.mapRunArn }));
    expect(children.executions).toHaveLength(4);
  });

  it('answers a duplicate start as AWS does, with the SDK error class', async () => {
    const stateMachineArn = machineArn(runner, 'Slow');
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'api-dup', input: '{"n":1}' }),
    );
    const same = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'api-dup', input: '{"n":1}' }),
    );
    expect(same.executionArn).toBe(first.executionArn);
    expect(same.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'api-dup', input: '{"n":2}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${first.executionArn ?? ''}-missing` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('lists and describes the synthesized state machines', async () => {
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));
    expect(stateMachines?.map((m) => m.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Pipeline/)]),
    );
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: machineArn(runner, 'Child') }),
    );
    expect(described).toMatchObject({ status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition ?? '{}')).toMatchObject({ StartAt: 'Child pass' });
    expect(described.creationDate).toBeInstanceOf(Date);
  });
});
