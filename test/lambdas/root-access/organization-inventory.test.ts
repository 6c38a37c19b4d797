import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  OrganizationsClient,
  TooManyRequestsException,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { InvalidInputError, ThrottledError } from '../../../lambdas/root-access/errors';
import {
  listEligibleMemberAccounts,
  shardAccounts,
} from '../../../lambdas/root-access/organization-inventory';

const MANAGEMENT = '100000000000';
const id = (n: number) => String(200000000000 + n);

/** 45 accounts over three pages of 20, 20 and 5, like Organizations pages them. */
function organizationAccounts(): Account[] {
  const accounts: Account[] = [{ Id: MANAGEMENT, State: 'ACTIVE' }];
  for (let n = 1; n < 45; n++) {
    const suspended = n % 10 === 0; // 4 suspended: 10, 20, 30, 40
    // Some accounts carry only the retired Status, as older answers do.
    accounts.push(
      n % 7 === 0
        ? { Id: id(n), Status: suspended ? 'SUSPENDED' : 'ACTIVE' }
        : { Id: id(n), State: suspended ? 'SUSPENDED' : 'ACTIVE' },
    );
  }
  return accounts;
}

describe('listEligibleMemberAccounts', () => {
  const organizations = mockClient(OrganizationsClient);
  const client = new OrganizationsClient({ region: 'us-east-1' });

  /**
   * Serves the accounts in pages of 20 and returns the NextToken of every
   * request as sent (the SDK paginator reuses its input object, so the
   * recorded inputs would all show the last token).
   */
  function pageAccounts(accounts: Account[]): (string | undefined)[] {
    const tokens: (string | undefined)[] = [];
    organizations.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
      tokens.push(input.NextToken);
      const start = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', ''));
      const end = start + 20;
      return {
        Accounts: accounts.slice(start, end),
        ...(end < accounts.length && { NextToken: `page-${end}` }),
      };
    });
    return tokens;
  }

  beforeEach(() => organizations.reset());

  test('consumes every ListAccounts page and skips the management account and suspended accounts', async () => {
    const tokens = pageAccounts(organizationAccounts());
    organizations.on(DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: MANAGEMENT } });

    const inventory = await listEligibleMemberAccounts(client, {
      protectedAccountIds: [],
      protectedOuIds: [],
    });

    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 3);
    expect(tokens).toEqual([undefined, 'page-20', 'page-40']);
    expect(inventory.skipped).toEqual({
      MANAGEMENT_ACCOUNT: 1,
      NOT_A_MEMBER: 0,
      NOT_ACTIVE: 4,
      PROTECTED_ACCOUNT: 0,
      PROTECTED_OU: 0,
    });
    expect(inventory.accountIds).toHaveLength(40);
    expect(inventory.accountIds).not.toContain(MANAGEMENT);
    expect(inventory.accountIds).not.toContain(id(10));
    expect(inventory.accountIds).toContain(id(44));
    expect(inventory.accountIds).toContain(id(7));
  });

  test('protected accounts and the subtree of a protected OU are skipped without ListParents per account', async () => {
    pageAccounts(organizationAccounts());
    // ou-secure holds 1 and 2, and a nested OU holding 3 (two pages) and a deeper OU holding 4.
    organizations
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-secure11' })
      .resolves({ Accounts: [{ Id: id(1) }, { Id: id(2) }] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-nested11', NextToken: undefined })
      .resolves({ Accounts: [{ Id: id(3) }], NextToken: 'more' })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-nested11', NextToken: 'more' })
      .resolves({ Accounts: [{ Id: id(10) }] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-deeper11' })
      .resolves({ Accounts: [{ Id: id(4) }] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-secure11' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-nested11' }] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-nested11' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-deeper11' }] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-deeper11' })
      .resolves({ OrganizationalUnits: [] });

    const inventory = await listEligibleMemberAccounts(client, {
      managementAccountId: MANAGEMENT,
      protectedAccountIds: [id(5), id(6)],
      protectedOuIds: ['ou-ab12-secure11'],
    });

    // id(10) is suspended: NOT_ACTIVE comes before PROTECTED_OU.
    expect(inventory.skipped).toEqual({
      MANAGEMENT_ACCOUNT: 1,
      NOT_A_MEMBER: 0,
      NOT_ACTIVE: 4,
      PROTECTED_ACCOUNT: 2,
      PROTECTED_OU: 4,
    });
    expect(inventory.accountIds).toHaveLength(34);
    for (const n of [1, 2, 3, 4, 5, 6]) expect(inventory.accountIds).not.toContain(id(n));
    expect(organizations).toHaveReceivedCommandTimes(ListParentsCommand, 0);
    expect(organizations).toHaveReceivedCommandTimes(DescribeOrganizationCommand, 0);
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsForParentCommand, 4);
  });

  test('a requested list is restricted to those accounts, still checked, unknown ids counted', async () => {
    pageAccounts(organizationAccounts());
    const inventory = await listEligibleMemberAccounts(client, {
      managementAccountId: MANAGEMENT,
      protectedAccountIds: [],
      protectedOuIds: [],
      accountIds: [id(1), id(20), MANAGEMENT, '999999999999'],
    });
    expect(inventory.accountIds).toEqual([id(1)]);
    expect(inventory.skipped).toEqual({
      MANAGEMENT_ACCOUNT: 1,
      NOT_A_MEMBER: 1,
      NOT_ACTIVE: 1,
      PROTECTED_ACCOUNT: 0,
      PROTECTED_OU: 0,
    });
  });

  test('a malformed requested id is rejected before any call', async () => {
    await expect(
      listEligibleMemberAccounts(client, {
        managementAccountId: MANAGEMENT,
        protectedAccountIds: [],
        protectedOuIds: [],
        accountIds: [id(1), '12345'],
      }),
    ).rejects.toThrow(new InvalidInputError('accountIds[1]', 'must be exactly 12 digits, got "12345"'));
    expect(organizations.calls()).toHaveLength(0);
  });

  test('throttling that outlasts the SDK retries is a ThrottledError', async () => {
    organizations
      .on(ListAccountsCommand)
      .rejects(new TooManyRequestsException({ $metadata: {}, message: 'slow' }));
    await expect(
      listEligibleMemberAccounts(client, {
        managementAccountId: MANAGEMENT,
        protectedAccountIds: [],
        protectedOuIds: [],
      }),
    ).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe('shardAccounts', () => {
  const ids = Array.from({ length: 250 }, (_, n) => id(n));

  test('splits in order into shards of the given size', () => {
    const shards = shardAccounts(ids);
    expect(shards.map((shard) => shard.length)).toEqual([100, 100, 50]);
    expect(shards.flat()).toEqual(ids);
    expect(shardAccounts(ids, 120).map((shard) => shard.length)).toEqual([120, 120, 10]);
    expect(shardAccounts([])).toEqual([]);
  });

  test.each([0, -1, 1.5, 1001, Number.NaN])('rejects shard size %p', (size) => {
    expect(() => shardAccounts(ids, size)).toThrow(InvalidInputError);
    expect(() => shardAccounts(ids, size)).toThrow(/^shardSize: /);
  });
});
