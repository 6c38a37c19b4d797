import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { targetInput } from '../../../local/eventbridge/input-transformer';
import { readJsonPath } from '../../../local/eventbridge/json-path';

const created = JSON.parse(
  readFileSync(
    join(__dirname, '../../fixtures/events/organizations-create-account-result-succeeded.json'),
    'utf8',
  ),
) as Record<string, unknown>;

const context = {
  ruleArn: 'arn:aws:events:us-east-1:111111111111:rule/NewAccount',
  ruleName: 'NewAccount',
  ingestionTime: '2026-11-20T09:14:38Z',
};

/** What CDK synthesizes for a RuleTargetInput, as the template's InputTransformer. */
function synthesized(input: RuleTargetInput): {
  inputTemplate: string;
  inputPathsMap: Record<string, string>;
} {
  const stack = new Stack(new App(), 'Synth');
  const rule = new Rule(stack, 'Rule', { eventPattern: { source: ['x'] } });
  return stack.resolve(input.bind(rule)) as { inputTemplate: string; inputPathsMap: Record<string, string> };
}

describe('the InputTransformer CDK synthesizes from RuleTargetInput.fromObject', () => {
  test('event fields become JSON values, strings keep their quotes', () => {
    const transformer = synthesized(
      RuleTargetInput.fromObject({
        accountId: EventField.fromPath('$.detail.serviceEventDetails.createAccountStatus.accountId'),
        requestId: EventField.fromPath('$.detail.eventID'),
        source: EventField.source,
        eventId: EventField.eventId,
        status: EventField.fromPath('$.detail.serviceEventDetails.createAccountStatus'),
        fixed: 'aws.organizations',
        count: 3,
      }),
    );
    const output = JSON.parse(targetInput({ inputTransformer: transformer }, created, context)) as unknown;
    expect(output).toEqual({
      accountId: '444455556666',
      requestId: '6f2c1a7e-0c77-4d0e-9b4e-0d2a9c1f8e33',
      source: 'aws.organizations',
      eventId: '2b7f6d0e-6a1c-4a57-9d1b-3f1c2e4d5a61',
      status: (created.detail as { serviceEventDetails: { createAccountStatus: unknown } })
        .serviceEventDetails.createAccountStatus,
      fixed: 'aws.organizations',
      count: 3,
    });
  });

  test('a field inside a string is inserted as text, escaped', () => {
    const transformer = synthesized(
      RuleTargetInput.fromObject({ reason: `account "${EventField.fromPath('$.detail.name')}" created` }),
    );
    const event = { detail: { name: 'quote " and \\ backslash' } };
    const output = JSON.parse(targetInput({ inputTransformer: transformer }, event, context)) as {
      reason: string;
    };
    expect(output.reason).toBe('account "quote " and \\ backslash" created');
  });
});

describe('templates written by hand', () => {
  const paths = { instance: '$.detail.instance', state: '$.detail.state' };
  const event = { id: 'e-1', source: 'aws.ec2', detail: { instance: 'i-0123', state: 'RUNNING' } };

  test('the documented text template', () => {
    const input = targetInput(
      { inputTransformer: { inputPathsMap: paths, inputTemplate: '<instance> is in state <state>' } },
      event,
      context,
    );
    expect(input).toBe('i-0123 is in state RUNNING');
  });

  test('the documented JSON template with variables in quotes and out', () => {
    const template = '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}';
    const input = targetInput(
      { inputTransformer: { inputPathsMap: paths, inputTemplate: template } },
      event,
      context,
    );
    expect(JSON.parse(input)).toEqual({ myInstance: 'i-0123', myStatus: 'i-0123 is in state "RUNNING"' });
  });

  test('predefined variables', () => {
    const template =
      '{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event>, "whole": <aws.events.event.json>}';
    const input = JSON.parse(
      targetInput({ inputTransformer: { inputTemplate: template } }, event, context),
    ) as Record<string, unknown>;
    expect(input).toEqual({
      rule: 'NewAccount',
      arn: context.ruleArn,
      at: context.ingestionTime,
      event: { id: 'e-1', source: 'aws.ec2' },
      whole: event,
    });
  });

  test('the raw event variables cannot sit inside a string', () => {
    expect(() =>
      targetInput(
        { inputTransformer: { inputTemplate: '{"a": "<aws.events.event.json>"}' } },
        event,
        context,
      ),
    ).toThrow(/value of a JSON field/);
  });

  test('a path that finds nothing gives null, or nothing inside a string', () => {
    const template = '{"missing": <gone>, "text": "[<gone>]"}';
    const input = targetInput(
      { inputTransformer: { inputPathsMap: { gone: '$.detail.nothing' }, inputTemplate: template } },
      event,
      context,
    );
    expect(JSON.parse(input)).toEqual({ missing: null, text: '[]' });
  });

  test('unknown angle brackets stay as they are', () => {
    const input = targetInput({ inputTransformer: { inputTemplate: '"a <b> c"' } }, event, context);
    expect(input).toBe('"a <b> c"');
  });

  test('reserved names cannot be redefined', () => {
    expect(() =>
      targetInput(
        { inputTransformer: { inputPathsMap: { 'aws.x': '$.id' }, inputTemplate: '<aws.x>' } },
        event,
        context,
      ),
    ).toThrow(/reserved/);
  });
});

describe('Input and InputPath', () => {
  test('no setting sends the whole event', () => {
    expect(JSON.parse(targetInput({}, created, context))).toEqual(created);
  });

  test('Input is sent as it is', () => {
    expect(targetInput({ input: '{"constant":true}' }, created, context)).toBe('{"constant":true}');
  });

  test('InputPath selects a part', () => {
    expect(JSON.parse(targetInput({ inputPath: '$.detail.userIdentity' }, created, context))).toEqual({
      accountId: '111111111111',
      invokedBy: 'organizations.amazonaws.com',
    });
  });

  test('only one setting at a time', () => {
    expect(() => targetInput({ input: '{}', inputPath: '$' }, created, context)).toThrow(/only one/);
  });
});

describe('the JSONPath subset', () => {
  const document = { 'detail-type': 'X', a: { 'b/c': [10, 20, { d: 'deep' }] }, list: [{ n: 1 }, { n: 2 }] };
  test.each([
    ['$', document],
    ['$.detail-type', 'X'],
    ["$['detail-type']", 'X'],
    ['$.a.b/c[1]', 20],
    ['$.a.b/c[2].d', 'deep'],
    ['$.list[*].n', [1, 2]],
    ['$.nothing.here', undefined],
    ['$.list[5]', undefined],
  ])('%s', (path, expected) => {
    expect(readJsonPath(document, path)).toEqual(expected);
  });

  test('paths start with $', () => {
    expect(() => readJsonPath(document, 'detail')).toThrow(/must start with \$/);
  });
});
