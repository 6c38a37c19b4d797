import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListParentsCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { callAws, hasAwsErrorCode } from './aws-error-mapping';

/**
 * Which accounts may be targeted by a root session. The management account,
 * accounts that are not ACTIVE members, and configured protected accounts or
 * OUs (nested OUs included) are never targeted.
 */

export const INELIGIBILITY_REASONS = [
  'MANAGEMENT_ACCOUNT',
  'NOT_A_MEMBER',
  'NOT_ACTIVE',
  'PROTECTED_ACCOUNT',
  'PROTECTED_OU',
] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

export interface EligibilityConfig {
  /** When unset, DescribeOrganization tells. */
  readonly managementAccountId?: string;
  readonly protectedAccountIds: readonly string[];
  readonly protectedOuIds: readonly string[];
}

export interface EligibilityDecision {
  readonly eligible: boolean;
  readonly reason?: IneligibilityReason;
}

export interface EligibilityFacts {
  readonly accountId: string;
  /** DescribeAccount's answer; undefined when Organizations does not know the account. */
  readonly account: Pick<Account, 'State' | 'Status'> | undefined;
  /** Ids of the account's parents, nearest first (an OU chain up to the root). */
  readonly ancestors: readonly string[];
  readonly managementAccountId: string;
  readonly protectedAccountIds: readonly string[];
  readonly protectedOuIds: readonly string[];
}

/**
 * The account's lifecycle state. `Status` is retired in favour of `State`
 * (September 2026); `State` wins when both are present.
 */
function accountState(account: Pick<Account, 'State' | 'Status'>): string | undefined {
  return account.State ?? account.Status;
}

/**
 * The decision, in order of what the operator most needs to know: the
 * management account and configured protections first (they never change),
 * then membership and state, then the OU tree.
 */
export function decideEligibility(facts: EligibilityFacts): EligibilityDecision {
  if (facts.accountId === facts.managementAccountId) return { eligible: false, reason: 'MANAGEMENT_ACCOUNT' };
  if (facts.protectedAccountIds.includes(facts.accountId))
    return { eligible: false, reason: 'PROTECTED_ACCOUNT' };
  if (facts.account === undefined) return { eligible: false, reason: 'NOT_A_MEMBER' };
  if (accountState(facts.account) !== 'ACTIVE') return { eligible: false, reason: 'NOT_ACTIVE' };
  if (facts.ancestors.some((id) => facts.protectedOuIds.includes(id))) {
    return { eligible: false, reason: 'PROTECTED_OU' };
  }
  return { eligible: true };
}

export interface EligibilityResult extends EligibilityDecision {
  readonly accountId: string;
  readonly accountName?: string;
  readonly accountStatus?: string;
}

async function describeAccount(
  organizations: OrganizationsClient,
  accountId: string,
): Promise<Account | undefined> {
  try {
    const { Account: account } = await organizations.send(
      new DescribeAccountCommand({ AccountId: accountId }),
    );
    return account;
  } catch (error) {
    if (hasAwsErrorCode(error, 'AccountNotFoundException')) return undefined;
    throw error;
  }
}

/**
 * The OU chain above an account, nearest first. Walks up only while the
 * parent is an OU that is not itself protected: once a protected OU is found
 * the answer is known.
 */
async function ancestorsOf(
  organizations: OrganizationsClient,
  accountId: string,
  protectedOuIds: readonly string[],
): Promise<string[]> {
  const ancestors: string[] = [];
  let childId = accountId;
  for (;;) {
    let parents;
    try {
      ({ Parents: parents } = await organizations.send(new ListParentsCommand({ ChildId: childId })));
    } catch (error) {
      // DescribeAccount answers the membership question; an unknown child here says the same.
      if (hasAwsErrorCode(error, 'ChildNotFoundException', 'AccountNotFoundException')) return ancestors;
      throw error;
    }
    const parent = parents?.[0];
    if (parent?.Id === undefined) return ancestors;
    ancestors.push(parent.Id);
    if (parent.Type !== 'ORGANIZATIONAL_UNIT' || protectedOuIds.includes(parent.Id)) return ancestors;
    childId = parent.Id;
  }
}

/** The organization's management account id (DescribeOrganization). */
export async function describeManagementAccountId(organizations: OrganizationsClient): Promise<string> {
  const { Organization: organization } = await organizations.send(new DescribeOrganizationCommand({}));
  const id = organization?.MasterAccountId;
  if (id === undefined)
    throw new Error('organizations:DescribeOrganization answered no management account id');
  return id;
}

/**
 * Asks Organizations whether an account may be targeted. Configured facts
 * decide without any call (management account, protected account); otherwise
 * DescribeAccount, ListParents (only when protected OUs are configured) and
 * DescribeOrganization (only when the management account is not configured)
 * run in parallel.
 */
export async function checkAccountEligibility(
  organizations: OrganizationsClient,
  accountId: string,
  config: EligibilityConfig,
): Promise<EligibilityResult> {
  const known = {
    accountId,
    account: { State: 'ACTIVE' } as const,
    ancestors: [],
    managementAccountId: config.managementAccountId ?? '',
    protectedAccountIds: config.protectedAccountIds,
    protectedOuIds: [],
  };
  const early = decideEligibility(known);
  if (!early.eligible) return { accountId, ...early };

  const [account, ancestors, managementAccountId] = await Promise.all([
    callAws('organizations:DescribeAccount', () => describeAccount(organizations, accountId)),
    config.protectedOuIds.length === 0
      ? Promise.resolve([])
      : callAws('organizations:ListParents', () =>
          ancestorsOf(organizations, accountId, config.protectedOuIds),
        ),
    config.managementAccountId !== undefined
      ? Promise.resolve(config.managementAccountId)
      : callAws('organizations:DescribeOrganization', () => describeManagementAccountId(organizations)),
  ]);
  const decision = decideEligibility({
    accountId,
    account,
    ancestors,
    managementAccountId,
    protectedAccountIds: config.protectedAccountIds,
    protectedOuIds: config.protectedOuIds,
  });
  const status = account === undefined ? undefined : accountState(account);
  return {
    accountId,
    ...decision,
    ...(account?.Name !== undefined && { accountName: account.Name }),
    ...(status !== undefined && { accountStatus: status }),
  };
}
