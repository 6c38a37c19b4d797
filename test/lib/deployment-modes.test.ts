import type { Environment } from 'aws-cdk-lib';
import { buildRootkeeperApp } from '../../lib/build-app';
import type { RootkeeperConfig } from '../../lib/config';
import { forwarderRoleName } from '../../lib/forwarding';
import { evaluateRequest } from '../../local/iam/evaluate-request';
import { templatePolicies, type TemplatePolicies } from '../../local/iam/resource-policies';
import type { TemplateJson } from '../../local/template/local-names';

const MANAGEMENT = '111111111111';
const VENDING_ACCOUNT = '222222222222';
const DELEGATED_ADMIN = '333333333333';
const VENDING_ROLE = `arn:aws:iam::${VENDING_ACCOUNT}:role/vending`;

interface Synthesized {
  readonly stacks: { name: string; account: string; region: string; template: TemplateJson }[];
  readonly service: TemplateJson;
}

function synth(env: Environment, config: Partial<RootkeeperConfig>): Synthesized {
  const { app, stack } = buildRootkeeperApp({ env, config });
  const assembly = app.synth();
  return {
    stacks: assembly.stacks.map((s) => ({
      name: s.stackName,
      account: s.environment.account,
      region: s.environment.region,
      template: s.template as TemplateJson,
    })),
    service: assembly.getStackByName(stack.stackName).template as TemplateJson,
  };
}

function resources(template: TemplateJson, type: string): Record<string, unknown>[] {
  return Object.values(template.Resources ?? {})
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties ?? {});
}

function eventNames(template: TemplateJson): string[] {
  return resources(template, 'AWS::Events::Rule').flatMap(
    (rule) =>
      (rule.EventPattern as { detail?: { eventName?: string[] } } | undefined)?.detail?.eventName ?? [],
  );
}

// The "Done when" configuration: the service in eu-central-1, Control Tower at home in eu-west-1.
const delegated = synth(
  { account: DELEGATED_ADMIN, region: 'eu-central-1' },
  {
    deployment: 'delegated-admin',
    managementAccountId: MANAGEMENT,
    controlTowerHomeRegion: 'eu-west-1',
    vendingPrincipalArns: [VENDING_ROLE],
  },
);

describe('delegated-admin mode, service in eu-central-1, Control Tower home eu-west-1', () => {
  test('adds a forwarder per region of birth, in the management account, with explicit account and region', () => {
    expect(delegated.stacks.map(({ name, account, region }) => [name, account, region])).toEqual([
      ['Rootkeeper', DELEGATED_ADMIN, 'eu-central-1'],
      ['RootkeeperEventForwarder', MANAGEMENT, 'us-east-1'],
      ['RootkeeperEventForwarder-eu-west-1', MANAGEMENT, 'eu-west-1'],
    ]);
    const [, usEast1, euWest1] = delegated.stacks;
    expect(eventNames(usEast1!.template)).toEqual(['CreateAccountResult', 'AccountJoinedOrganization']);
    expect(eventNames(euWest1!.template)).toEqual(['CreateManagedAccount', 'UpdateManagedAccount']);
    for (const forwarder of [usEast1!, euWest1!]) {
      const [role] = resources(forwarder.template, 'AWS::IAM::Role');
      expect(role?.RoleName).toBe(forwarderRoleName(forwarder.region));
      for (const rule of resources(forwarder.template, 'AWS::Events::Rule')) {
        const [target] = rule.Targets as Record<string, unknown>[];
        expect(JSON.stringify(target?.Arn)).toContain(
          `:events:eu-central-1:${DELEGATED_ADMIN}:event-bus/rootkeeper`,
        );
        expect(target).toMatchObject({ DeadLetterConfig: {}, RetryPolicy: { MaximumRetryAttempts: 50 } });
        expect(target?.RoleArn).toBeDefined();
      }
    }
  });

  test('accepts AWS events on the service bus from the management account only, and none on the default bus', () => {
    const rules = resources(delegated.service, 'AWS::Events::Rule').filter(
      (rule) => rule.EventPattern !== undefined,
    );
    expect(rules.every((rule) => rule.EventBusName !== undefined)).toBe(true);
    for (const rule of rules) {
      const pattern = rule.EventPattern as { source: string[]; account?: string[] };
      if (pattern.source[0]?.startsWith('aws.')) expect(pattern.account).toEqual([MANAGEMENT]);
    }
    expect(eventNames(delegated.service).sort()).toEqual(
      [
        'AccountJoinedOrganization',
        'CreateAccountResult',
        'CreateManagedAccount',
        'UpdateManagedAccount',
      ].sort(),
    );
  });

  test('never targets the deploying account or the management account', () => {
    const functions = resources(delegated.service, 'AWS::Lambda::Function');
    const eligibility = functions.filter(
      (fn) =>
        (fn.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
          ?.PROTECTED_ACCOUNT_IDS !== undefined,
    );
    expect(eligibility.length).toBeGreaterThanOrEqual(2);
    for (const fn of eligibility) {
      const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(String(variables.PROTECTED_ACCOUNT_IDS).split(',')).toContain(DELEGATED_ADMIN);
      expect(variables.MANAGEMENT_ACCOUNT_ID).toBe(MANAGEMENT);
    }
  });
});

describe('region and mode combinations', () => {
  test.each([
    [
      'delegated-admin, service in us-east-1, no Control Tower home',
      { account: DELEGATED_ADMIN, region: 'us-east-1' },
      { deployment: 'delegated-admin' as const, managementAccountId: MANAGEMENT },
      [['RootkeeperEventForwarder', MANAGEMENT, 'us-east-1']],
    ],
    [
      'delegated-admin, Control Tower home us-east-1',
      { account: DELEGATED_ADMIN, region: 'eu-west-1' },
      {
        deployment: 'delegated-admin' as const,
        managementAccountId: MANAGEMENT,
        controlTowerHomeRegion: 'us-east-1',
      },
      [['RootkeeperEventForwarder', MANAGEMENT, 'us-east-1']],
    ],
    [
      'management, service in eu-west-1, Control Tower home eu-central-1',
      { account: MANAGEMENT, region: 'eu-west-1' },
      { controlTowerHomeRegion: 'eu-central-1' },
      [
        ['RootkeeperEventForwarder', MANAGEMENT, 'us-east-1'],
        ['RootkeeperEventForwarder-eu-central-1', MANAGEMENT, 'eu-central-1'],
      ],
    ],
    [
      'management, service and Control Tower in us-east-1',
      { account: MANAGEMENT, region: 'us-east-1' },
      { controlTowerHomeRegion: 'us-east-1' },
      [],
    ],
  ])('%s', (_name, env, config, forwarders) => {
    const { stacks } = synth(env, config);
    expect(stacks.slice(1).map(({ name, account, region }) => [name, account, region])).toEqual(forwarders);
  });

  test('with the management account’s credentials (to deploy the forwarders), the service account is asked for, not guessed', () => {
    const { stacks } = synth(
      { account: MANAGEMENT, region: 'eu-central-1' },
      { deployment: 'delegated-admin', managementAccountId: MANAGEMENT },
    );
    expect(stacks[0]?.account).toBe('unknown-account');
    expect(stacks[1]?.template.Parameters?.RootkeeperAccountId).toBeDefined();
  });

  test('without the deploying account at synth, the forwarders ask for it as a parameter', () => {
    const { stacks } = synth(
      { region: 'eu-central-1' },
      { deployment: 'delegated-admin', managementAccountId: MANAGEMENT },
    );
    const forwarder = stacks[1]!;
    expect(forwarder.account).toBe(MANAGEMENT);
    expect(forwarder.template.Parameters?.RootkeeperAccountId).toMatchObject({ AllowedPattern: '^\\d{12}$' });
  });
});

describe('policies evaluated with an IAM policy evaluator', () => {
  const service = templatePolicies(delegated.service, {
    region: 'eu-central-1',
    accountId: DELEGATED_ADMIN,
    stackName: 'Rootkeeper',
  });
  const forwarders: [string, TemplatePolicies][] = delegated.stacks
    .slice(1)
    .map((s) => [
      s.region,
      templatePolicies(s.template, { region: s.region, accountId: s.account, stackName: s.name }),
    ]);
  const busArn = `arn:aws:events:eu-central-1:${DELEGATED_ADMIN}:event-bus/rootkeeper`;
  const busPolicy = service.buses.get('rootkeeper');
  // Worst case for a refused caller: an administrator whose own policies allow any PutEvents.
  const putAnything = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }],
  };
  const putEvents = (principal: string, identityPolicies: readonly unknown[]) =>
    evaluateRequest({
      principal,
      action: 'events:PutEvents',
      resourceArn: busArn,
      resourceAccount: DELEGATED_ADMIN,
      identityPolicies,
      resourcePolicy: busPolicy,
    });

  test.each(['us-east-1', 'eu-west-1'])(
    'the %s forwarder role, with its synthesized policy, may put to the bus',
    async (region) => {
      const [, policies] = forwarders.find(([r]) => r === region)!;
      const roleName = forwarderRoleName(region);
      const identity = policies.roles.get(roleName) ?? [];
      expect(identity.length).toBeGreaterThan(0);
      const session = `arn:aws:sts::${MANAGEMENT}:assumed-role/${roleName}/events-delivery`;
      expect(await putEvents(session, identity)).toEqual({ allowed: true, result: 'Allowed' });
    },
  );

  test('the vending principal may put Account Vended', async () => {
    expect((await putEvents(VENDING_ROLE, [putAnything])).allowed).toBe(true);
  });

  test.each([
    ['another role of the management account', `arn:aws:iam::${MANAGEMENT}:role/Admin`, 'ExplicitlyDenied'],
    [
      'another role of the vending account',
      `arn:aws:iam::${VENDING_ACCOUNT}:role/developer`,
      'ExplicitlyDenied',
    ],
    [
      'an administrator of the deploying account itself',
      `arn:aws:iam::${DELEGATED_ADMIN}:role/Admin`,
      'ExplicitlyDenied',
    ],
    ['a stranger', 'arn:aws:iam::999999999999:role/vending', 'ExplicitlyDenied'],
  ])('%s is refused', async (_who, principal, result) => {
    expect(await putEvents(principal, [putAnything])).toEqual({ allowed: false, result });
  });

  test('every alarm may publish to its topic, in the service stack and in each forwarder', async () => {
    const stacks: [string, string, TemplatePolicies][] = [
      ['eu-central-1', DELEGATED_ADMIN, service],
      ...forwarders.map(([region, policies]): [string, string, TemplatePolicies] => [
        region,
        MANAGEMENT,
        policies,
      ]),
    ];
    let checked = 0;
    for (const [, account, policies] of stacks) {
      expect(policies.alarms.size).toBeGreaterThan(0);
      for (const [alarmArn, topics] of policies.alarms) {
        for (const topicArn of topics) {
          const decision = await evaluateRequest({
            principal: 'cloudwatch.amazonaws.com',
            action: 'sns:Publish',
            resourceArn: topicArn,
            resourceAccount: account,
            resourcePolicy: policies.topics.get(topicArn),
            context: {
              'aws:SourceArn': alarmArn,
              'aws:SourceAccount': account,
              'aws:SecureTransport': 'true',
            },
          });
          expect([alarmArn, decision.result]).toEqual([alarmArn, 'Allowed']);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  test('an unrelated service principal, or another account’s alarm, may not publish', async () => {
    const [[alarmArn, [topicArn]]] = [...service.alarms] as [[string, string[]]];
    const publish = (principal: string, account: string) =>
      evaluateRequest({
        principal,
        action: 'sns:Publish',
        resourceArn: topicArn!,
        resourceAccount: DELEGATED_ADMIN,
        resourcePolicy: service.topics.get(topicArn!),
        context: {
          'aws:SourceArn': alarmArn.replace(DELEGATED_ADMIN, account),
          'aws:SourceAccount': account,
          'aws:SecureTransport': 'true',
        },
      });
    expect((await publish('s3.amazonaws.com', DELEGATED_ADMIN)).allowed).toBe(false);
    expect((await publish('cloudwatch.amazonaws.com', '999999999999')).allowed).toBe(false);
  });
});
