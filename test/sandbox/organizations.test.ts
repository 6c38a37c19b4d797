import {
  AccountNotFoundException,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListChildrenCommand,
  ListParentsCommand,
  ListRootsCommand,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { INVITED, MANAGEMENT, SUSPENDED, assumeRoot, clients, fixture } from './helpers';

describe('sandbox Organizations', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ organization: { generate: { accounts: 57, seed: 7 } } });
  });
  afterAll(() => sandbox.close());

  test('ListAccounts answers 20 a page with NextToken, and every account once', async () => {
    const { organizations } = clients(sandbox);
    const first = await organizations.send(new ListAccountsCommand({}));
    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toBeDefined();
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations }, {})) {
      pages.push(page.Accounts?.length ?? 0);
      ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ''));
    }
    expect(pages).toEqual([20, 20, 18]);
    expect(new Set(ids).size).toBe(58);
    expect(ids.sort()).toEqual(
      sandbox.state
        .accounts()
        .map((a) => a.id)
        .sort(),
    );
  });

  test('MaxResults above the model maximum (20) is InvalidInputException MAX_VALUE_EXCEEDED, not clamped', async () => {
    await expect(
      clients(sandbox).organizations.send(new ListAccountsCommand({ MaxResults: 50 })),
    ).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'MAX_VALUE_EXCEEDED',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('accounts carry Status and State; DescribeAccount finds them', async () => {
    const account = sandbox.state.accounts()[3];
    const { Account } = await clients(sandbox).organizations.send(
      new DescribeAccountCommand({ AccountId: account?.id }),
    );
    expect(Account).toMatchObject({ Id: account?.id, Status: account?.status, State: account?.state });
    expect(Account?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  test('DescribeAccount of an unknown account is AccountNotFoundException', async () => {
    await expect(
      clients(sandbox).organizations.send(new DescribeAccountCommand({ AccountId: '000000000000' })),
    ).rejects.toBeInstanceOf(AccountNotFoundException);
  });

  test('DescribeOrganization names the management account', async () => {
    const { Organization } = await clients(sandbox).organizations.send(new DescribeOrganizationCommand({}));
    expect(Organization?.MasterAccountId).toBe(sandbox.managementAccountId);
    expect(Organization?.Id).toBe(sandbox.state.organization().id);
  });

  test('ListAWSServiceAccessForOrganization shows trusted access for IAM', async () => {
    const answer = await clients(sandbox).organizations.send(
      new ListAWSServiceAccessForOrganizationCommand({}),
    );
    expect(answer.EnabledServicePrincipals?.map((p) => p.ServicePrincipal)).toEqual(['iam.amazonaws.com']);
  });
});

describe('sandbox Organizations tree and access', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ organization: fixture() });
  });
  afterAll(() => sandbox.close());

  test('roots, OUs, parents and children follow the fixture', async () => {
    const { organizations } = clients(sandbox);
    const { Roots } = await organizations.send(new ListRootsCommand({}));
    const rootId = Roots?.[0]?.Id;
    expect(rootId).toBe(sandbox.state.organization().rootId);
    const ous = await organizations.send(
      new ListChildrenCommand({ ParentId: rootId, ChildType: 'ORGANIZATIONAL_UNIT' }),
    );
    expect(ous.Children).toHaveLength(1);
    const { Parents } = await organizations.send(new ListParentsCommand({ ChildId: INVITED }));
    const prod = sandbox.state.organizationalUnits().find((ou) => ou.name === 'Prod');
    expect(Parents).toEqual([{ Id: prod?.id, Type: 'ORGANIZATIONAL_UNIT' }]);
    const underRoot = await organizations.send(new ListAccountsForParentCommand({ ParentId: rootId }));
    expect(underRoot.Accounts?.map((a) => a.Id).sort()).toEqual([MANAGEMENT, SUSPENDED]);
  });

  test('a root session cannot call Organizations', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    await expect(
      clients(sandbox, session).organizations.send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
