import {
  AccessDeniedException,
  AccountNotFoundException,
  ChildNotFoundException,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListParentsCommand,
  OrganizationsClient,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import {
  checkAccountEligibility,
  decideEligibility,
  type EligibilityFacts,
} from '../../../lambdas/root-access/eligibility';
import {
  RootAccessDeniedError,
  ThrottledError,
  TransientAwsError,
} from '../../../lambdas/root-access/errors';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const PROTECTED = '333333333333';

describe('decideEligibility', () => {
  const facts: EligibilityFacts = {
    accountId: MEMBER,
    account: { State: 'ACTIVE' },
    ancestors: ['ou-ab12-child111', 'ou-ab12-parent11', 'r-ab12'],
    managementAccountId: MANAGEMENT,
    protectedAccountIds: [PROTECTED],
    protectedOuIds: ['ou-ab12-secure11'],
  };

  test.each<[string, Partial<EligibilityFacts>, ReturnType<typeof decideEligibility>]>([
    ['an ACTIVE member', {}, { eligible: true }],
    ['the management account', { accountId: MANAGEMENT }, { eligible: false, reason: 'MANAGEMENT_ACCOUNT' }],
    [
      'an account Organizations does not know',
      { account: undefined },
      { eligible: false, reason: 'NOT_A_MEMBER' },
    ],
    ['a SUSPENDED account', { account: { State: 'SUSPENDED' } }, { eligible: false, reason: 'NOT_ACTIVE' }],
    [
      'a PENDING_CLOSURE account',
      { account: { State: 'PENDING_CLOSURE', Status: 'ACTIVE' } },
      { eligible: false, reason: 'NOT_ACTIVE' },
    ],
    ['an account with only the retired Status ACTIVE', { account: { Status: 'ACTIVE' } }, { eligible: true }],
    [
      'an account with only the retired Status SUSPENDED',
      { account: { Status: 'SUSPENDED' } },
      { eligible: false, reason: 'NOT_ACTIVE' },
    ],
    ['an account with no state at all', { account: {} }, { eligible: false, reason: 'NOT_ACTIVE' }],
    ['a protected account', { accountId: PROTECTED }, { eligible: false, reason: 'PROTECTED_ACCOUNT' }],
    [
      'an account below a protected OU',
      { protectedOuIds: ['ou-ab12-parent11'] },
      { eligible: false, reason: 'PROTECTED_OU' },
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(decideEligibility({ ...facts, ...overrides })).toEqual(expected);
  });
});

describe('checkAccountEligibility', () => {
  const organizations = mockClient(OrganizationsClient);
  const client = new OrganizationsClient({ region: 'us-east-1' });
  const noProtection = { protectedAccountIds: [], protectedOuIds: [] };

  beforeEach(() => organizations.reset());

  test('the configured management account is refused without any Organizations call', async () => {
    const result = await checkAccountEligibility(client, MANAGEMENT, {
      ...noProtection,
      managementAccountId: MANAGEMENT,
    });
    expect(result).toEqual({ accountId: MANAGEMENT, eligible: false, reason: 'MANAGEMENT_ACCOUNT' });
    expect(organizations.calls()).toHaveLength(0);
  });

  test('without a configured management account, DescribeOrganization tells', async () => {
    organizations.on(DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: MANAGEMENT } });
    organizations
      .on(DescribeAccountCommand)
      .resolves({ Account: { Id: MANAGEMENT, Name: 'mgmt', State: 'ACTIVE' } });
    const result = await checkAccountEligibility(client, MANAGEMENT, noProtection);
    expect(result).toEqual({
      accountId: MANAGEMENT,
      eligible: false,
      reason: 'MANAGEMENT_ACCOUNT',
      accountName: 'mgmt',
      accountStatus: 'ACTIVE',
    });
    // No protected OU configured: the OU tree is not read.
    expect(organizations).toHaveReceivedCommandTimes(ListParentsCommand, 0);
  });

  test('an ACTIVE member is eligible; DescribeOrganization is not called when configured', async () => {
    organizations
      .on(DescribeAccountCommand)
      .resolves({ Account: { Id: MEMBER, Name: 'dev', State: 'ACTIVE' } });
    const result = await checkAccountEligibility(client, MEMBER, {
      ...noProtection,
      managementAccountId: MANAGEMENT,
    });
    expect(result).toEqual({
      accountId: MEMBER,
      eligible: true,
      accountName: 'dev',
      accountStatus: 'ACTIVE',
    });
    expect(organizations).toHaveReceivedCommandWith(DescribeAccountCommand, { AccountId: MEMBER });
    expect(organizations).toHaveReceivedCommandTimes(DescribeOrganizationCommand, 0);
  });

  test('an account below a protected OU two levels up is refused', async () => {
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: MEMBER, State: 'ACTIVE' } });
    organizations
      .on(ListParentsCommand, { ChildId: MEMBER })
      .resolves({ Parents: [{ Id: 'ou-ab12-child111', Type: 'ORGANIZATIONAL_UNIT' }] })
      .on(ListParentsCommand, { ChildId: 'ou-ab12-child111' })
      .resolves({ Parents: [{ Id: 'ou-ab12-secure11', Type: 'ORGANIZATIONAL_UNIT' }] })
      .on(ListParentsCommand, { ChildId: 'ou-ab12-secure11' })
      .resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
    const result = await checkAccountEligibility(client, MEMBER, {
      managementAccountId: MANAGEMENT,
      protectedAccountIds: [],
      protectedOuIds: ['ou-ab12-secure11'],
    });
    expect(result).toMatchObject({ accountId: MEMBER, eligible: false, reason: 'PROTECTED_OU' });
    // The walk stops at the protected OU: the root is never asked for.
    expect(organizations).toHaveReceivedCommandTimes(ListParentsCommand, 2);
  });

  test('an account outside the protected OUs walks up to the root and is eligible', async () => {
    organizations.on(DescribeAccountCommand).resolves({ Account: { Id: MEMBER, Status: 'ACTIVE' } });
    organizations
      .on(ListParentsCommand, { ChildId: MEMBER })
      .resolves({ Parents: [{ Id: 'ou-ab12-child111', Type: 'ORGANIZATIONAL_UNIT' }] })
      .on(ListParentsCommand, { ChildId: 'ou-ab12-child111' })
      .resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
    const result = await checkAccountEligibility(client, MEMBER, {
      managementAccountId: MANAGEMENT,
      protectedAccountIds: [],
      protectedOuIds: ['ou-ab12-secure11'],
    });
    expect(result).toEqual({ accountId: MEMBER, eligible: true, accountStatus: 'ACTIVE' });
    expect(organizations).toHaveReceivedCommandTimes(ListParentsCommand, 2);
  });

  test('an account ListParents does not know is simply not a member', async () => {
    organizations
      .on(DescribeAccountCommand)
      .rejects(new AccountNotFoundException({ $metadata: {}, message: 'not found' }))
      .on(ListParentsCommand)
      .rejects(new ChildNotFoundException({ $metadata: {}, message: 'no child' }));
    const result = await checkAccountEligibility(client, MEMBER, {
      managementAccountId: MANAGEMENT,
      protectedAccountIds: [],
      protectedOuIds: ['ou-ab12-secure11'],
    });
    expect(result).toEqual({ accountId: MEMBER, eligible: false, reason: 'NOT_A_MEMBER' });
  });

  test('a configured protected account is refused without any call', async () => {
    const result = await checkAccountEligibility(client, PROTECTED, {
      managementAccountId: MANAGEMENT,
      protectedAccountIds: [PROTECTED],
      protectedOuIds: [],
    });
    expect(result).toEqual({ accountId: PROTECTED, eligible: false, reason: 'PROTECTED_ACCOUNT' });
    expect(organizations.calls()).toHaveLength(0);
  });

  test('AccountNotFoundException means NOT_A_MEMBER', async () => {
    organizations
      .on(DescribeAccountCommand)
      .rejects(new AccountNotFoundException({ $metadata: {}, message: 'not found' }));
    const result = await checkAccountEligibility(client, MEMBER, {
      ...noProtection,
      managementAccountId: MANAGEMENT,
    });
    expect(result).toEqual({ accountId: MEMBER, eligible: false, reason: 'NOT_A_MEMBER' });
  });

  test('a SUSPENDED account is NOT_ACTIVE and reports its state', async () => {
    organizations
      .on(DescribeAccountCommand)
      .resolves({ Account: { Id: MEMBER, State: 'SUSPENDED', Status: 'SUSPENDED' } });
    const result = await checkAccountEligibility(client, MEMBER, {
      ...noProtection,
      managementAccountId: MANAGEMENT,
    });
    expect(result).toEqual({
      accountId: MEMBER,
      eligible: false,
      reason: 'NOT_ACTIVE',
      accountStatus: 'SUSPENDED',
    });
  });

  test.each([
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ $metadata: {}, message: 'slow down' }),
      ThrottledError,
    ],
    ['ServiceException', new ServiceException({ $metadata: {}, message: 'oops' }), TransientAwsError],
    [
      'AccessDeniedException',
      new AccessDeniedException({ $metadata: {}, message: 'no' }),
      RootAccessDeniedError,
    ],
  ])('%s is mapped to a named error', async (_name, error, expected) => {
    organizations.on(DescribeAccountCommand).rejects(error);
    const call = checkAccountEligibility(client, MEMBER, {
      ...noProtection,
      managementAccountId: MANAGEMENT,
    });
    await expect(call).rejects.toBeInstanceOf(expected);
    await expect(call).rejects.toThrow(/organizations:DescribeAccount/);
  });
});
