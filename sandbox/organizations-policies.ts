/**
 * Organizations' service control policies, read-only: ListPolicies (Filter
 * SERVICE_CONTROL_POLICY), DescribePolicy, ListTargetsForPolicy, with the
 * shapes of AWS's API reference (PolicySummary: Id, Arn, Name, Description,
 * Type, AwsManaged; DescribePolicy adds Content, the JSON document as a
 * string; PolicyTargetSummary: TargetId, Arn, Name, Type ROOT |
 * ORGANIZATIONAL_UNIT | ACCOUNT). As in an organization with SCPs enabled,
 * the AWS managed FullAWSAccess (p-FullAWSAccess) is attached to the root,
 * every OU and every account; the fixture's own SCPs are attached where it
 * says. Other policy types exist in AWS but none is modelled: they list empty.
 */
import type { OrganizationFixture } from './fixture';
import type { ServiceControlPolicy, World } from './model';
import { ApiError } from './protocol';
import { randomLower, type Random } from './random';

type Body = Record<string, unknown>;

const FULL_AWS_ACCESS_ID = 'p-FullAWSAccess';
const SCP_TYPE = 'SERVICE_CONTROL_POLICY';

const FULL_AWS_ACCESS: ServiceControlPolicy = {
  id: FULL_AWS_ACCESS_ID,
  name: 'FullAWSAccess',
  description: 'Allows access to every operation',
  content: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  }),
  awsManaged: true,
  targets: [],
};

/**
 * The fixture's SCPs, their targets resolved: `root` or the root's id, an OU
 * by name or id, an account id.
 */
export function buildServiceControlPolicies(
  fixture: OrganizationFixture,
  world: World,
  ouIdsByName: ReadonlyMap<string, string>,
  random: Random,
): ServiceControlPolicy[] {
  const resolve = (target: string): string => {
    if (target === 'root' || target === world.organization.rootId) return world.organization.rootId;
    const id = ouIdsByName.get(target) ?? target;
    if (world.organizationalUnits.has(id) || world.accounts.has(id)) return id;
    throw new Error(`service control policy target ${target}: no such root, OU or account`);
  };
  return (fixture.serviceControlPolicies ?? []).map((policy) => ({
    id: policy.id ?? `p-${randomLower(random, 8)}`,
    name: policy.name,
    description: policy.description ?? '',
    content: typeof policy.content === 'string' ? policy.content : JSON.stringify(policy.content),
    awsManaged: false,
    targets: (policy.targets ?? []).map(resolve),
  }));
}

type OrgArn = (world: World, kind: string, id: string) => string;

function policyArn(world: World, policy: ServiceControlPolicy, orgArn: OrgArn): string {
  const { partition } = world.organization;
  return policy.awsManaged
    ? `arn:${partition}:organizations::aws:policy/service_control_policy/${policy.id}`
    : orgArn(world, 'policy', `service_control_policy/${policy.id}`);
}

const allPolicies = (world: World): ServiceControlPolicy[] => [
  FULL_AWS_ACCESS,
  ...world.organization.serviceControlPolicies,
];

function summary(world: World, policy: ServiceControlPolicy, orgArn: OrgArn): Body {
  return {
    Id: policy.id,
    Arn: policyArn(world, policy, orgArn),
    Name: policy.name,
    Description: policy.description,
    Type: SCP_TYPE,
    AwsManaged: policy.awsManaged,
  };
}

function requirePolicy(world: World, body: Body): ServiceControlPolicy {
  const id = body.PolicyId;
  const policy = allPolicies(world).find((candidate) => candidate.id === id);
  if (policy === undefined) {
    throw new ApiError(
      'PolicyNotFoundException',
      "We can't find a policy with the PolicyId that you specified.",
      400,
    );
  }
  return policy;
}

function targetsOf(world: World, policy: ServiceControlPolicy, orgArn: OrgArn): Body[] {
  const { rootId } = world.organization;
  const ids =
    policy.id === FULL_AWS_ACCESS_ID
      ? [rootId, ...world.organizationalUnits.keys(), ...world.accounts.keys()]
      : policy.targets;
  return ids.map((id) => {
    if (id === rootId) return { TargetId: id, Arn: orgArn(world, 'root', id), Name: 'Root', Type: 'ROOT' };
    const ou = world.organizationalUnits.get(id);
    if (ou !== undefined) {
      return { TargetId: id, Arn: orgArn(world, 'ou', id), Name: ou.name, Type: 'ORGANIZATIONAL_UNIT' };
    }
    const account = world.accounts.get(id);
    return { TargetId: id, Arn: orgArn(world, 'account', id), Name: account?.name ?? id, Type: 'ACCOUNT' };
  });
}

type Page = <T>(items: T[], body: Body, action: string) => { items: T[]; NextToken?: string };

/**
 * The three operations, for the Organizations router (which authorizes and
 * replies), with its pager and its ARN format.
 */
export function policyHandlers({
  page,
  orgArn,
}: {
  page: Page;
  orgArn: OrgArn;
}): Record<string, (world: World, body: Body) => Body> {
  return {
    ListPolicies: (world, body) => {
      const policies = body.Filter === SCP_TYPE ? allPolicies(world) : [];
      const { items, NextToken } = page(policies, body, 'ListPolicies');
      return { Policies: items.map((policy) => summary(world, policy, orgArn)), NextToken };
    },
    DescribePolicy: (world, body) => {
      const policy = requirePolicy(world, body);
      return { Policy: { PolicySummary: summary(world, policy, orgArn), Content: policy.content } };
    },
    ListTargetsForPolicy: (world, body) => {
      const policy = requirePolicy(world, body);
      const { items, NextToken } = page(targetsOf(world, policy, orgArn), body, 'ListTargetsForPolicy');
      return { Targets: items, NextToken };
    },
  };
}
