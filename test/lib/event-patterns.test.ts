import { matchesEventPattern } from '../../local/event-pattern';
import { buildRootkeeperApp } from '../../lib/build-app';
import { readEvent } from './support/fixtures';
import { templateOf, type Template } from './support/template';

const { app, stack } = buildRootkeeperApp();
const template: Template = templateOf(app, stack);

/** The rule on the default bus (or the service's bus) that starts Secure new account, by event source. */
function ruleFor(
  source: string,
  bus: 'default' | 'service' = 'default',
  eventName?: string,
): Record<string, unknown> {
  const rule = Object.values(template.Resources).find(
    (resource) =>
      resource.Type === 'AWS::Events::Rule' &&
      (bus === 'default'
        ? [undefined, 'default'].includes(resource.Properties?.EventBusName as string | undefined)
        : resource.Properties?.EventBusName !== undefined) &&
      (eventName === undefined ||
        JSON.stringify(resource.Properties?.EventPattern).includes(`"eventName":["${eventName}"]`)) &&
      JSON.stringify((resource.Properties?.EventPattern as { source?: string[] } | undefined)?.source) ===
        JSON.stringify([source]),
  );
  if (rule?.Properties === undefined) throw new Error(`no rule for ${source}`);
  return rule.Properties;
}

/** What EventBridge's input transformer gives the workflow for this event. */
function transformedInput(rule: Record<string, unknown>, event: Record<string, unknown>): unknown {
  const [target] = rule.Targets as {
    InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
  }[];
  const { InputPathsMap, InputTemplate } = target!.InputTransformer;
  let text = InputTemplate;
  for (const [name, path] of Object.entries(InputPathsMap)) {
    const value = path
      .replace(/^\$\./, '')
      .split('.')
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], event);
    // As EventBridge does: inside quotes the raw text, outside quotes the JSON value.
    text = text.split(`"<${name}>"`).join(JSON.stringify(String(value)));
    text = text.split(`<${name}>`).join(JSON.stringify(value ?? null));
  }
  return JSON.parse(text);
}

const organizationsSucceeded = readEvent('organizations-create-account-result-succeeded');
const organizationsFailed = readEvent('organizations-create-account-result-failed');
const controlTowerSucceeded = readEvent('controltower-create-managed-account-succeeded');

describe('Organizations CreateAccountResult rule', () => {
  const rule = ruleFor('aws.organizations');

  test('matches the SUCCEEDED event and not the FAILED one', () => {
    expect(matchesEventPattern(rule.EventPattern, organizationsSucceeded)).toBe(true);
    expect(matchesEventPattern(rule.EventPattern, organizationsFailed)).toBe(false);
    expect(matchesEventPattern(rule.EventPattern, controlTowerSucceeded)).toBe(false);
  });

  test('gives Secure new account the account id and the CloudTrail event id', () => {
    expect(transformedInput(rule, organizationsSucceeded)).toEqual({
      accountId: '444455556666',
      requestId: '6f2c1a7e-0c77-4d0e-9b4e-0d2a9c1f8e33',
      source: 'aws.organizations',
    });
  });
});

describe('Control Tower CreateManagedAccount rule', () => {
  const rule = ruleFor('aws.controltower');

  test('matches the SUCCEEDED event only', () => {
    expect(matchesEventPattern(rule.EventPattern, controlTowerSucceeded)).toBe(true);
    expect(matchesEventPattern(rule.EventPattern, organizationsSucceeded)).toBe(false);
    const failed = structuredClone(controlTowerSucceeded) as {
      detail: { serviceEventDetails: { createManagedAccountStatus: { state: string } } };
    };
    failed.detail.serviceEventDetails.createManagedAccountStatus.state = 'FAILED';
    expect(matchesEventPattern(rule.EventPattern, failed)).toBe(false);
  });

  test('gives Secure new account the account id and the CloudTrail event id', () => {
    expect(transformedInput(rule, controlTowerSucceeded)).toEqual({
      accountId: '777788889999',
      requestId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      source: 'aws.controltower',
    });
  });
});

describe('Control Tower UpdateManagedAccount rule', () => {
  const rule = ruleFor('aws.controltower', 'default', 'UpdateManagedAccount');
  const updated = readEvent('controltower-update-managed-account');

  test('matches the SUCCEEDED update and gives the enrolled account', () => {
    expect(matchesEventPattern(rule.EventPattern, updated)).toBe(true);
    expect(matchesEventPattern(rule.EventPattern, controlTowerSucceeded)).toBe(false);
    expect(transformedInput(rule, updated)).toEqual({
      accountId: '333333333333',
      requestId: '0f7e2d4c-3b9a-4e61-8c55-91d2a7b3c4e5',
      source: 'aws.controltower',
    });
  });
});

describe('custom Account Vended rule', () => {
  const rule = ruleFor('rootkeeper.vending', 'service');

  test('exists on the service bus only: the default bus takes a forged source from any local principal', () => {
    expect(() => ruleFor('rootkeeper.vending', 'default')).toThrow('no rule for rootkeeper.vending');
  });
  const vended = {
    version: '0',
    id: 'e1',
    'detail-type': 'Account Vended',
    source: 'rootkeeper.vending',
    account: '111111111111',
    time: '2026-11-24T10:00:00Z',
    region: 'eu-west-1',
    resources: [],
    detail: { accountId: '123456789012', requestId: 'vend-42' },
  };

  test('matches the documented event and passes its request id', () => {
    expect(matchesEventPattern(rule.EventPattern, vended)).toBe(true);
    expect(matchesEventPattern(rule.EventPattern, { ...vended, 'detail-type': 'Account Closed' })).toBe(
      false,
    );
    expect(transformedInput(rule, vended)).toEqual({
      accountId: '123456789012',
      requestId: 'vend-42',
      source: 'rootkeeper.vending',
    });
  });
});

describe('an account joining by invitation (AccountJoinedOrganization)', () => {
  const rule = ruleFor('aws.organizations', 'default', 'AccountJoinedOrganization');
  const joined = (joinedMethod: string) => ({
    source: 'aws.organizations',
    'detail-type': 'AWS Service Event via CloudTrail',
    detail: {
      eventName: 'AccountJoinedOrganization',
      eventID: 'b5e1c1a8-0000-4000-8000-000000000001',
      serviceEventDetails: { accountId: '055556666777', joinedMethod, joinedTime: '2026-11-29T10:00:00Z' },
    },
  });

  // The API references write `joinedMethod:Invited` / `joinedMethod:Created` without a sample event.
  test.each(['Invited', 'INVITED', 'invited'])('matches joinedMethod %s', (method) => {
    expect(matchesEventPattern(rule.EventPattern, joined(method))).toBe(true);
  });

  test('does not match a created account (CreateAccountResult secures those)', () => {
    expect(matchesEventPattern(rule.EventPattern, joined('Created'))).toBe(false);
  });
});
