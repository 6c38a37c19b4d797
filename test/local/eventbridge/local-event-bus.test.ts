import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventBus, EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { DefinitionBody, Pass, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  createLocalEventBus,
  rulesFromTemplate,
  startEventBridgeServer,
  type BusEvent,
  type LocalEventBus,
  type TemplateLike,
} from '../../../local/eventbridge';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const created = JSON.parse(
  readFileSync(
    join(__dirname, '../../fixtures/events/organizations-create-account-result-succeeded.json'),
    'utf8',
  ),
) as BusEvent;
const failed = JSON.parse(
  readFileSync(
    join(__dirname, '../../fixtures/events/organizations-create-account-result-failed.json'),
    'utf8',
  ),
) as BusEvent;

/** A small synthesized stack shaped like the service's triggers. */
function synthesizeTriggers(): TemplateLike {
  const stack = new Stack(new App(), 'Triggers', { env: { account: ACCOUNT, region: REGION } });
  const machine = new StateMachine(stack, 'Secure', {
    definitionBody: DefinitionBody.fromChainable(new Pass(stack, 'P')),
  });
  const bus = new EventBus(stack, 'Bus', { eventBusName: 'rootkeeper' });
  new Rule(stack, 'AccountCreated', {
    eventPattern: {
      source: ['aws.organizations'],
      detailType: ['AWS Service Event via CloudTrail'],
      detail: {
        eventName: ['CreateAccountResult'],
        serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } },
      },
    },
    targets: [
      new SfnStateMachine(machine, {
        input: RuleTargetInput.fromObject({
          accountId: EventField.fromPath('$.detail.serviceEventDetails.createAccountStatus.accountId'),
          requestId: EventField.fromPath('$.detail.eventID'),
          source: 'aws.organizations',
        }),
      }),
    ],
  });
  new Rule(stack, 'AccountVended', {
    eventBus: bus,
    eventPattern: { source: ['rootkeeper.vending'], detailType: ['Account Vended'] },
    targets: [new SfnStateMachine(machine, { input: RuleTargetInput.fromEventPath('$.detail') })],
  });
  new Rule(stack, 'Sweep', {
    schedule: Schedule.rate(Duration.hours(1)),
    targets: [new SfnStateMachine(machine)],
  });
  return Template.fromStack(stack).toJSON();
}

const MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:Secure`;

function resolve(value: unknown): unknown {
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string' && ref.startsWith('Secure')) return MACHINE_ARN;
  return undefined;
}

describe('the local bus with rules from a synthesized template', () => {
  let bus: LocalEventBus;
  let started: { stateMachineArn: string; input: string }[];
  // Synthesis takes a second: once for the whole file.
  const rules = rulesFromTemplate(synthesizeTriggers(), { region: REGION, account: ACCOUNT, resolve });

  beforeEach(() => {
    started = [];
    bus = createLocalEventBus({
      rules,
      region: REGION,
      account: ACCOUNT,
      startExecution: (request) => {
        started.push(request);
        return Promise.resolve({
          executionArn: `${MACHINE_ARN.replace('stateMachine', 'execution')}:${started.length}`,
        });
      },
    });
  });

  test('reads rules, buses, patterns and schedules from the template', () => {
    expect(bus.rules.map((rule) => [rule.eventBusName, rule.scheduleExpression ?? 'pattern'])).toEqual(
      expect.arrayContaining([
        ['default', 'pattern'],
        ['rootkeeper', 'pattern'],
        ['default', 'rate(1 hour)'],
      ]),
    );
  });

  test('a SUCCEEDED CreateAccountResult starts the workflow with the transformed input', async () => {
    const record = bus.publish(created);
    await bus.drain();
    expect(record.matchedRules).toHaveLength(1);
    expect(started).toHaveLength(1);
    expect(started[0]?.stateMachineArn).toBe(MACHINE_ARN);
    expect(JSON.parse(started[0]?.input ?? '')).toEqual({
      accountId: '444455556666',
      requestId: '6f2c1a7e-0c77-4d0e-9b4e-0d2a9c1f8e33',
      source: 'aws.organizations',
    });
    expect(record.deliveries[0]?.executionArn).toMatch(/:execution:/);
  });

  test('a FAILED one starts nothing, but is recorded', async () => {
    bus.publish(failed);
    await bus.drain();
    expect(started).toHaveLength(0);
    expect(bus.events).toHaveLength(1);
  });

  test('PutEvents assigns id, time, account and region, and routes by bus name or ARN', async () => {
    const detail = { accountId: '222233334444', requestId: 'vend-1' };
    const outcome = bus.putEvents([
      {
        Source: 'rootkeeper.vending',
        DetailType: 'Account Vended',
        Detail: JSON.stringify(detail),
        EventBusName: 'rootkeeper',
      },
      {
        Source: 'rootkeeper.vending',
        DetailType: 'Account Vended',
        Detail: JSON.stringify(detail),
        EventBusName: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/rootkeeper`,
      },
      { Source: 'rootkeeper.vending', DetailType: 'Account Vended', Detail: JSON.stringify(detail) },
    ]);
    await bus.drain();
    expect(outcome.FailedEntryCount).toBe(0);
    expect(new Set(outcome.Entries.map((entry) => entry.EventId)).size).toBe(3);
    expect(started.map((request) => JSON.parse(request.input) as unknown)).toEqual([detail, detail]);
    const [first] = bus.events;
    expect(first?.event).toMatchObject({ version: '0', account: ACCOUNT, region: REGION, resources: [] });
    expect(first?.event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('entries are refused one by one, as AWS does', () => {
    const outcome = bus.putEvents([
      { Source: 'aws.organizations', DetailType: 'x', Detail: '{}' },
      { Source: 'a', DetailType: 'x', Detail: '[1]' },
      { Source: 'a', DetailType: 'x' },
      { Source: 'a', DetailType: 'x', Detail: '{}', EventBusName: 'nope' },
      { Source: 'a', DetailType: 'x', Detail: '{}' },
    ]);
    expect(outcome.FailedEntryCount).toBe(4);
    expect(outcome.Entries.map((entry) => entry.ErrorCode)).toEqual([
      'NotAuthorizedForSourceException',
      'MalformedDetail',
      'InvalidArgument',
      'ResourceNotFoundException',
      undefined,
    ]);
    expect(() => bus.putEvents([])).toThrow(/1 to 10/);
  });

  test('a scheduled rule fires with a Scheduled Event', async () => {
    const sweep = bus.rules.find((rule) => rule.scheduleExpression !== undefined);
    bus.runSchedule(sweep?.name ?? '');
    await bus.drain();
    expect(JSON.parse(started[0]?.input ?? '')).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
    });
  });

  test('a failing target is retried, then the error is recorded', async () => {
    let calls = 0;
    const failing = createLocalEventBus({
      rules: bus.rules,
      region: REGION,
      account: ACCOUNT,
      retryDelayMs: 1,
      startExecution: () => {
        calls += 1;
        return Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
      },
    });
    const record = failing.publish(created);
    await failing.drain();
    expect(calls).toBe(4);
    expect(record.deliveries[0]?.error).toBe('ThrottlingException: slow down');
  });
});

describe('the EventBridge endpoint through the AWS SDK', () => {
  test('PutEvents reaches the bus, with the caller account from the access key', async () => {
    const bus = createLocalEventBus({
      rules: [],
      region: REGION,
      account: ACCOUNT,
      startExecution: () => Promise.reject(new Error('no targets')),
    });
    const server = await startEventBridgeServer(bus, {
      callerAccount: (key) => (key === 'AKIDCALLER' ? '999999999999' : undefined),
    });
    const client = new EventBridgeClient({
      endpoint: server.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'AKIDCALLER', secretAccessKey: 'secret' },
    });
    try {
      const answer = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: 'rootkeeper',
              DetailType: 'Rootkeeper Run Result',
              Detail: '{"outcome":"CLEAN"}',
              Time: new Date('2026-11-20T10:00:00Z'),
            },
            { Source: 'aws.iam', DetailType: 'x', Detail: '{}' },
          ],
        }),
      );
      expect(answer.FailedEntryCount).toBe(1);
      expect(answer.Entries?.[1]?.ErrorCode).toBe('NotAuthorizedForSourceException');
      expect(bus.events[0]?.event).toMatchObject({
        source: 'rootkeeper',
        account: '999999999999',
        time: '2026-11-20T10:00:00Z',
        detail: { outcome: 'CLEAN' },
      });
      await expect(client.send(new PutEventsCommand({ Entries: [] }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
