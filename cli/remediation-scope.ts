import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListChildrenCommand,
  type Account,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { awsCall } from './aws-call';
import type { CliContext } from './context';
import type { RemediationPlan } from '../lambdas/root-access/remediation-plan';

/**
 * The accounts `remediate` is about (--all, --ou, --account), read from
 * Organizations, and those among them that may not be touched, with why:
 * the management account and the account Rootkeeper runs in are never
 * targeted, an id that is no ACTIVE member is not an account to remediate.
 */

export interface RemediationScope {
  readonly scope: RemediationPlan['scope'];
  /** ACTIVE members in scope that may be remediated. */
  readonly candidates: readonly string[];
  readonly excluded: readonly { readonly accountId: string; readonly reason: string }[];
}

export type ScopeRequest =
  | { readonly all: true }
  | { readonly organizationalUnitIds: readonly string[] }
  | { readonly accountIds: readonly string[] };

async function listAccounts(ctx: CliContext): Promise<Account[]> {
  const accounts: Account[] = [];
  let NextToken: string | undefined;
  do {
    const page = await awsCall('organizations:ListAccounts', () =>
      ctx.organizations.send(new ListAccountsCommand({ NextToken })),
    );
    accounts.push(...(page.Accounts ?? []));
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return accounts;
}

/** The accounts of the OUs and of every OU below them (ListChildren, breadth first). */
async function accountsBelow(ctx: CliContext, ouIds: readonly string[]): Promise<Account[]> {
  const accounts = new Map<string, Account>();
  const queue = [...new Set(ouIds)];
  for (let index = 0; index < queue.length; index += 1) {
    const ParentId = queue[index] as string;
    let NextToken: string | undefined;
    do {
      const page = await awsCall('organizations:ListAccountsForParent', () =>
        ctx.organizations.send(new ListAccountsForParentCommand({ ParentId, NextToken })),
      );
      for (const account of page.Accounts ?? []) if (account.Id) accounts.set(account.Id, account);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    do {
      const page = await awsCall('organizations:ListChildren', () =>
        ctx.organizations.send(
          new ListChildrenCommand({ ParentId, ChildType: 'ORGANIZATIONAL_UNIT', NextToken }),
        ),
      );
      for (const child of page.Children ?? [])
        if (child.Id && !queue.includes(child.Id)) queue.push(child.Id);
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
  }
  return [...accounts.values()];
}

/** Account.State replaces the deprecated Status; either says ACTIVE for a member that can be remediated. */
function isActive(account: Account): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

export async function resolveScope(ctx: CliContext, request: ScopeRequest): Promise<RemediationScope> {
  const [organization, identity] = await Promise.all([
    awsCall('organizations:DescribeOrganization', () =>
      ctx.organizations.send(new DescribeOrganizationCommand({})),
    ),
    awsCall('sts:GetCallerIdentity', () => ctx.sts.send(new GetCallerIdentityCommand({}))),
  ]);
  const managementAccount = organization.Organization?.MasterAccountId;
  const deployingAccount = identity.Account;
  const excluded: { accountId: string; reason: string }[] = [];
  let members: Account[];
  let scope: RemediationPlan['scope'];
  if ('all' in request) {
    members = await listAccounts(ctx);
    scope = { all: true };
  } else if ('organizationalUnitIds' in request) {
    members = await accountsBelow(ctx, request.organizationalUnitIds);
    scope = { organizationalUnitIds: [...request.organizationalUnitIds] };
  } else {
    const wanted = new Set(request.accountIds);
    members = (await listAccounts(ctx)).filter(
      (account) => account.Id !== undefined && wanted.has(account.Id),
    );
    const found = new Set(members.map((account) => account.Id));
    for (const accountId of wanted) {
      if (!found.has(accountId)) {
        excluded.push({ accountId, reason: 'NOT_A_MEMBER: no account of this organization' });
      }
    }
    scope = { accountIds: [...request.accountIds] };
  }
  const candidates: string[] = [];
  for (const account of members) {
    const accountId = account.Id;
    if (accountId === undefined) continue;
    if (accountId === managementAccount) {
      excluded.push({ accountId, reason: 'MANAGEMENT_ACCOUNT: never targeted' });
    } else if (accountId === deployingAccount) {
      excluded.push({ accountId, reason: 'DEPLOYING_ACCOUNT: Rootkeeper runs in it' });
    } else if (!isActive(account)) {
      excluded.push({ accountId, reason: `NOT_ACTIVE: ${account.State ?? account.Status ?? 'unknown'}` });
    } else {
      candidates.push(accountId);
    }
  }
  return { scope, candidates: candidates.sort(), excluded };
}
