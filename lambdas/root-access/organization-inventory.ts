import {
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { callAws } from './aws-error-mapping';
import {
  decideEligibility,
  describeManagementAccountId,
  type EligibilityConfig,
  type IneligibilityReason,
} from './eligibility';
import { InvalidInputError } from './errors';
import { validateAccountId } from './validation';

/**
 * The organization's eligible member accounts, for the organization audit.
 * ListAccounts pages are sequential (20 accounts a page) and Organizations
 * throttles early, so protected OUs are resolved by enumerating their
 * subtrees once rather than calling ListParents for every account.
 */

export interface InventoryConfig extends EligibilityConfig {
  /** When given, only these accounts are considered (still checked for eligibility). */
  readonly accountIds?: readonly string[];
}

export type SkippedCounts = Record<IneligibilityReason, number>;

export interface Inventory {
  /** Eligible account ids, in ListAccounts order. */
  readonly accountIds: string[];
  readonly skipped: SkippedCounts;
}

async function allAccounts(organizations: OrganizationsClient): Promise<Account[]> {
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client: organizations }, {})) {
    accounts.push(...(page.Accounts ?? []));
  }
  return accounts;
}

/** Every account below the given OUs, nested OUs included. */
export async function accountsBelow(
  organizations: OrganizationsClient,
  ouIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  const visited = new Set<string>();
  const pending = [...ouIds];
  // One OU at a time: Organizations throttles a handful of parallel callers.
  for (let ouId = pending.pop(); ouId !== undefined; ouId = pending.pop()) {
    if (visited.has(ouId)) continue;
    visited.add(ouId);
    for await (const page of paginateListAccountsForParent({ client: organizations }, { ParentId: ouId })) {
      for (const account of page.Accounts ?? []) if (account.Id !== undefined) found.add(account.Id);
    }
    for await (const page of paginateListOrganizationalUnitsForParent(
      { client: organizations },
      { ParentId: ouId },
    )) {
      for (const child of page.OrganizationalUnits ?? []) if (child.Id !== undefined) pending.push(child.Id);
    }
  }
  return found;
}

export function emptySkipped(): SkippedCounts {
  return { MANAGEMENT_ACCOUNT: 0, NOT_A_MEMBER: 0, NOT_ACTIVE: 0, PROTECTED_ACCOUNT: 0, PROTECTED_OU: 0 };
}

export async function listEligibleMemberAccounts(
  organizations: OrganizationsClient,
  config: InventoryConfig,
): Promise<Inventory> {
  const requested =
    config.accountIds === undefined
      ? undefined
      : new Set(config.accountIds.map((id, index) => validateAccountId(id, `accountIds[${index}]`)));

  const [accounts, protectedMembers, managementAccountId] = await Promise.all([
    callAws('organizations:ListAccounts', () => allAccounts(organizations)),
    config.protectedOuIds.length === 0
      ? Promise.resolve(new Set<string>())
      : callAws('organizations:ListAccountsForParent', () =>
          accountsBelow(organizations, config.protectedOuIds),
        ),
    config.managementAccountId !== undefined
      ? Promise.resolve(config.managementAccountId)
      : callAws('organizations:DescribeOrganization', () => describeManagementAccountId(organizations)),
  ]);

  const skipped = emptySkipped();
  const accountIds: string[] = [];
  const seen = new Set<string>();
  for (const account of accounts) {
    const accountId = account.Id;
    if (accountId === undefined || seen.has(accountId)) continue;
    if (requested !== undefined && !requested.has(accountId)) continue;
    seen.add(accountId);
    const reason = skipReasonOf(account, accountId, managementAccountId, protectedMembers, config);
    if (reason === undefined) accountIds.push(accountId);
    else skipped[reason] += 1;
  }
  // Requested ids that ListAccounts does not know are not members.
  if (requested !== undefined) skipped.NOT_A_MEMBER = [...requested].filter((id) => !seen.has(id)).length;
  return { accountIds, skipped };
}

export const MAX_SHARD_SIZE = 1000;

/** Splits account ids into shards of at most shardSize, in order. */
export function shardAccounts(ids: readonly string[], shardSize = 100): string[][] {
  if (!Number.isInteger(shardSize) || shardSize < 1 || shardSize > MAX_SHARD_SIZE) {
    throw new InvalidInputError(
      'shardSize',
      `must be an integer from 1 to ${MAX_SHARD_SIZE}, got ${shardSize}`,
    );
  }
  const shards: string[][] = [];
  for (let start = 0; start < ids.length; start += shardSize)
    shards.push(ids.slice(start, start + shardSize));
  return shards;
}

/**
 * Why a listed account is skipped (undefined: it is eligible). The listing
 * knows only the protected OUs' members, so a protected OU itself stands in
 * for the account's real ancestors.
 */
export function skipReasonOf(
  account: Account,
  accountId: string,
  managementAccountId: string,
  protectedMembers: ReadonlySet<string>,
  config: EligibilityConfig,
) {
  return decideEligibility({
    accountId,
    account,
    // The protected OU itself stands in for the account's real ancestors.
    ancestors: protectedMembers.has(accountId) ? config.protectedOuIds : [],
    managementAccountId,
    protectedAccountIds: config.protectedAccountIds,
    protectedOuIds: config.protectedOuIds,
  }).reason;
}
