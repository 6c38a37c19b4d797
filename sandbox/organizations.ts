/** Organizations (JSON 1.1, AWSOrganizationsV20161128.*): the read calls, trusted access and IAM's delegated administrator. */
import { authorize } from './authorization';
import type { RequestContext } from './context';
import { now } from './context';
import type { Account, World } from './model';
import { policyHandlers } from './organizations-policies';
import type { Reply } from './protocol';
import { declaredError } from './declared-errors';
import { ApiError, commonError, jsonReply } from './protocol';

type Body = Record<string, unknown>;
const epoch = (date: Date): number => date.getTime() / 1000;
const text = (body: Body, key: string): string | undefined => {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
};

/** An Organizations error with the code and status its model declares (every one 400: Smithy's default). */
const organizationsError = (shape: string, message: string, fields?: Record<string, string>): ApiError => {
  const [code, status] = declaredError('organizations', shape);
  return new ApiError(code, message, status, fields ? { fields } : {});
};

const invalidInput = (message: string, reason: string): ApiError =>
  organizationsError('InvalidInputException', message, { Reason: reason });

/** Pages of at most `limit` (and at most MaxResults) with an opaque NextToken. */
function page<T>(items: T[], body: Body, action: string, limit = 20): { items: T[]; NextToken?: string } {
  const max = typeof body.MaxResults === 'number' ? Math.min(Math.max(1, body.MaxResults), limit) : limit;
  let offset = 0;
  const token = text(body, 'NextToken');
  if (token !== undefined) {
    const [tokenAction, at] = Buffer.from(token, 'base64url').toString('utf8').split(':');
    offset = Number(at);
    if (tokenAction !== action || !Number.isInteger(offset) || offset < 0) {
      throw invalidInput('The provided NextToken is not valid.', 'INVALID_PAGINATION_TOKEN');
    }
  }
  const next = offset + max;
  return {
    items: items.slice(offset, next),
    ...(next < items.length ? { NextToken: Buffer.from(`${action}:${next}`).toString('base64url') } : {}),
  };
}

const orgArn = (world: World, kind: string, id: string): string =>
  `arn:${world.organization.partition}:organizations::${world.organization.managementAccountId}:${kind}/${world.organization.id}/${id}`;

function accountJson(world: World, account: Account): Body {
  return {
    Id: account.id,
    Arn: orgArn(world, 'account', account.id),
    Email: account.email,
    Name: account.name,
    Status: account.status,
    State: account.state,
    JoinedMethod: account.joinedMethod,
    JoinedTimestamp: epoch(account.joinedTimestamp),
  };
}

function parentOf(world: World, childId: string): string {
  const parent = world.accounts.get(childId)?.parentId ?? world.organizationalUnits.get(childId)?.parentId;
  if (!parent)
    throw organizationsError('ChildNotFoundException', `We can't find a child with id ${childId}.`);
  return parent;
}

function requireParent(world: World, body: Body): string {
  const id = text(body, 'ParentId') ?? '';
  if (id !== world.organization.rootId && !world.organizationalUnits.has(id)) {
    throw organizationsError('ParentNotFoundException', `We can't find a root or OU with id ${id}.`);
  }
  return id;
}

const parentType = (world: World, id: string): string =>
  id === world.organization.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT';
const accountsUnder = (world: World, parentId: string): Account[] =>
  [...world.accounts.values()].filter((a) => a.parentId === parentId);
const ousUnder = (world: World, parentId: string) =>
  [...world.organizationalUnits.values()].filter((ou) => ou.parentId === parentId);

type Handler = (ctx: RequestContext, body: Body) => Body;

const HANDLERS: Record<string, Handler> = {
  DescribeOrganization: ({ world }) => {
    const org = world.organization;
    const management = world.accounts.get(org.managementAccountId);
    return {
      Organization: {
        Id: org.id,
        Arn: `arn:${org.partition}:organizations::${org.managementAccountId}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: orgArn(world, 'account', org.managementAccountId),
        MasterAccountId: org.managementAccountId,
        MasterAccountEmail: management?.email,
        AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    };
  },
  ListAccounts: ({ world }, body) => {
    const { items, NextToken } = page([...world.accounts.values()], body, 'ListAccounts');
    return { Accounts: items.map((a) => accountJson(world, a)), NextToken };
  },
  DescribeAccount: ({ world }, body) => {
    const id = text(body, 'AccountId') ?? '';
    const account = world.accounts.get(id);
    if (!account)
      throw organizationsError('AccountNotFoundException', `You specified an account that doesn't exist.`);
    return { Account: accountJson(world, account) };
  },
  ListRoots: ({ world }) => ({
    Roots: [
      {
        Id: world.organization.rootId,
        Arn: orgArn(world, 'root', world.organization.rootId),
        Name: 'Root',
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      },
    ],
  }),
  ListParents: ({ world }, body) => {
    const parent = parentOf(world, text(body, 'ChildId') ?? '');
    return { Parents: [{ Id: parent, Type: parentType(world, parent) }] };
  },
  ListChildren: ({ world }, body) => {
    const parent = requireParent(world, body);
    const type = text(body, 'ChildType');
    const children =
      type === 'ACCOUNT'
        ? accountsUnder(world, parent).map((a) => ({ Id: a.id, Type: 'ACCOUNT' }))
        : ousUnder(world, parent).map((ou) => ({ Id: ou.id, Type: 'ORGANIZATIONAL_UNIT' }));
    const { items, NextToken } = page(children, body, 'ListChildren');
    return { Children: items, NextToken };
  },
  ListOrganizationalUnitsForParent: ({ world }, body) => {
    const parent = requireParent(world, body);
    const ous = ousUnder(world, parent).map((ou) => ({
      Id: ou.id,
      Arn: orgArn(world, 'ou', ou.id),
      Name: ou.name,
    }));
    const { items, NextToken } = page(ous, body, 'ListOrganizationalUnitsForParent');
    return { OrganizationalUnits: items, NextToken };
  },
  ListAccountsForParent: ({ world }, body) => {
    const parent = requireParent(world, body);
    const { items, NextToken } = page(accountsUnder(world, parent), body, 'ListAccountsForParent');
    return { Accounts: items.map((a) => accountJson(world, a)), NextToken };
  },
  EnableAWSServiceAccess: (ctx, body) => {
    const principal = text(body, 'ServicePrincipal');
    if (!principal) throw invalidInput('You must specify a ServicePrincipal.', 'INVALID_INPUT');
    const access = ctx.world.organization.trustedAccess;
    if (!access.has(principal)) access.set(principal, now(ctx));
    return {};
  },
  // The sandbox models delegated administration for IAM only (Organizations API reference:
  // RegisterDelegatedAdministrator, ListDelegatedAdministrators).
  RegisterDelegatedAdministrator: ({ world }, body) => {
    const accountId = text(body, 'AccountId') ?? '';
    const principal = text(body, 'ServicePrincipal');
    if (principal !== 'iam.amazonaws.com') {
      throw invalidInput(
        `The sandbox models delegated administration for iam.amazonaws.com only, got ${String(principal)}.`,
        'INVALID_SERVICE_PRINCIPAL',
      );
    }
    if (accountId === world.organization.managementAccountId) {
      throw organizationsError(
        'ConstraintViolationException',
        'You cannot register the management account as a delegated administrator.',
        {
          Reason: 'CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR',
        },
      );
    }
    if (!world.accounts.has(accountId)) {
      throw organizationsError(
        'AccountNotFoundException',
        `You specified an account that doesn't exist: ${accountId}.`,
      );
    }
    if (world.organization.delegatedAdministrators.has(accountId)) {
      throw organizationsError(
        'AccountAlreadyRegisteredException',
        'The provided account is already a delegated administrator for your organization.',
      );
    }
    world.organization.delegatedAdministrators.add(accountId);
    return {};
  },
  ListDelegatedAdministrators: ({ world }, body) => {
    const principal = text(body, 'ServicePrincipal');
    const accounts =
      principal === undefined || principal === 'iam.amazonaws.com'
        ? [...world.organization.delegatedAdministrators].flatMap((id) => {
            const account = world.accounts.get(id);
            return account === undefined ? [] : [accountJson(world, account)];
          })
        : [];
    const { items, NextToken } = page(accounts, body, 'ListDelegatedAdministrators');
    return { DelegatedAdministrators: items, NextToken };
  },
  ListAWSServiceAccessForOrganization: ({ world }, body) => {
    const enabled = [...world.organization.trustedAccess].map(([principal, date]) => ({
      ServicePrincipal: principal,
      DateEnabled: epoch(date),
    }));
    const { items, NextToken } = page(enabled, body, 'ListAWSServiceAccessForOrganization');
    return { EnabledServicePrincipals: items, NextToken };
  },
  ...Object.fromEntries(
    Object.entries(policyHandlers({ page, orgArn })).map(([action, handle]) => [
      action,
      ({ world }: RequestContext, body: Body) => handle(world, body),
    ]),
  ),
};

export function handleOrganizations(ctx: RequestContext, action: string, body: Body): Reply {
  const handler = HANDLERS[action];
  if (!handler)
    throw commonError('json', 'UnknownOperation', `Operation ${action} is not supported by the sandbox`);
  authorize('json', ctx.caller, `organizations:${action}`);
  const org = ctx.world.organization;
  const readOnly = /^(List|Describe)/.test(action);
  const delegated = readOnly && org.delegatedAdministrators.has(ctx.caller.accountId);
  if (ctx.caller.accountId !== org.managementAccountId && !delegated) {
    throw commonError('json', 'AccessDenied', 'You don’t have permissions to access this resource.');
  }
  return jsonReply('json', handler(ctx, body), ctx.requestId);
}
