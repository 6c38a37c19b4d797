import {
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { CLEAN, INVITED, MANAGEMENT, clients, fixture } from './helpers';

const DENY_ROOT = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
};

describe('sandbox Organizations service control policies', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      organization: fixture({
        delegatedAdministrator: { accountId: CLEAN },
        serviceControlPolicies: [
          {
            id: 'p-denyroot1',
            name: 'deny-root',
            description: 'no long-term root',
            content: DENY_ROOT,
            targets: ['root', 'Prod'],
          },
          { id: 'p-unattached', name: 'spare', content: '{"Version":"2012-10-17","Statement":[]}' },
        ],
      }),
    });
  });
  afterAll(() => sandbox.close());

  test('ListPolicies with Filter SERVICE_CONTROL_POLICY: FullAWSAccess and the fixture SCPs', async () => {
    const { organizations } = clients(sandbox);
    const { Policies } = await organizations.send(
      new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }),
    );
    expect(Policies?.map((policy) => [policy.Id, policy.Name, policy.AwsManaged, policy.Type])).toEqual([
      ['p-FullAWSAccess', 'FullAWSAccess', true, 'SERVICE_CONTROL_POLICY'],
      ['p-denyroot1', 'deny-root', false, 'SERVICE_CONTROL_POLICY'],
      ['p-unattached', 'spare', false, 'SERVICE_CONTROL_POLICY'],
    ]);
    expect(Policies?.[0]?.Arn).toBe(
      'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
    );
    expect(Policies?.[1]?.Arn).toMatch(
      new RegExp(
        `^arn:aws:organizations::${MANAGEMENT}:policy/o-[a-z0-9]+/service_control_policy/p-denyroot1$`,
      ),
    );
    const tags = await organizations.send(new ListPoliciesCommand({ Filter: 'TAG_POLICY' }));
    expect(tags.Policies).toEqual([]);
  });

  test('DescribePolicy answers the summary and the document as a string', async () => {
    const { organizations } = clients(sandbox);
    const { Policy } = await organizations.send(new DescribePolicyCommand({ PolicyId: 'p-denyroot1' }));
    expect(Policy?.PolicySummary?.Description).toBe('no long-term root');
    expect(JSON.parse(Policy?.Content ?? '')).toEqual(DENY_ROOT);
  });

  test('ListTargetsForPolicy: the root and the OU, by id, ARN, name and type', async () => {
    const { organizations } = clients(sandbox);
    const { Targets } = await organizations.send(
      new ListTargetsForPolicyCommand({ PolicyId: 'p-denyroot1' }),
    );
    const rootId = sandbox.state.organization().rootId;
    expect(Targets?.map((target) => [target.TargetId, target.Name, target.Type])).toEqual([
      [rootId, 'Root', 'ROOT'],
      [expect.stringMatching(/^ou-/), 'Prod', 'ORGANIZATIONAL_UNIT'],
    ]);
    expect(Targets?.[0]?.Arn).toMatch(new RegExp(`:root/o-[a-z0-9]+/${rootId}$`));
    const spare = await organizations.send(new ListTargetsForPolicyCommand({ PolicyId: 'p-unattached' }));
    expect(spare.Targets).toEqual([]);
  });

  test('FullAWSAccess is attached to the root, every OU and every account, 20 a page', async () => {
    const { organizations } = clients(sandbox);
    const targets: string[] = [];
    for await (const page of paginateListTargetsForPolicy(
      { client: organizations },
      { PolicyId: 'p-FullAWSAccess' },
    )) {
      targets.push(...(page.Targets ?? []).map((target) => target.TargetId ?? ''));
    }
    expect(targets).toEqual(expect.arrayContaining([MANAGEMENT, INVITED, CLEAN]));
    expect(targets).toHaveLength(1 + 2 + sandbox.state.accounts().length);
  });

  test('an unknown policy is PolicyNotFoundException; a malformed id or a missing Filter is InvalidInputException', async () => {
    const { organizations } = clients(sandbox);
    await expect(
      organizations.send(new DescribePolicyCommand({ PolicyId: 'p-nosuchpolicy' })),
    ).rejects.toMatchObject({ name: 'PolicyNotFoundException' });
    await expect(
      organizations.send(new ListTargetsForPolicyCommand({ PolicyId: 'p-nosuchpolicy' })),
    ).rejects.toMatchObject({ name: 'PolicyNotFoundException' });
    await expect(
      organizations.send(new DescribePolicyCommand({ PolicyId: 'not-a-policy' })),
    ).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(organizations.send(new ListPoliciesCommand({} as never))).rejects.toMatchObject({
      name: 'InvalidInputException',
    });
  });

  test('the delegated administrator may read them', async () => {
    const credentials = sandbox.delegatedAdministratorCredentials;
    if (!credentials) throw new Error('no delegated administrator credentials');
    const { Policies } = await clients(sandbox, credentials).organizations.send(
      new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }),
    );
    expect(Policies).toHaveLength(3);
  });
});
