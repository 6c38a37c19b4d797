import {
  EnableOrganizationsRootSessionsCommand,
  ListOrganizationsFeaturesCommand,
} from '@aws-sdk/client-iam';
import { EnableAWSServiceAccessCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import { AssumeRootCommand } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { CLEAN, INVITED, clients, fixture, taskArn } from './helpers';

describe('sandbox delegated administrator for iam.amazonaws.com', () => {
  let sandbox: Sandbox;
  let admin: ReturnType<typeof clients>;
  beforeAll(async () => {
    sandbox = await startSandbox({ organization: fixture({ delegatedAdministrator: { accountId: CLEAN } }) });
    const credentials = sandbox.delegatedAdministratorCredentials;
    if (!credentials) throw new Error('no delegated administrator credentials');
    admin = clients(sandbox, credentials);
  });
  afterAll(() => sandbox.close());

  test('may AssumeRoot into a member account', async () => {
    const { Credentials } = await admin.sts.send(
      new AssumeRootCommand({
        TargetPrincipal: INVITED,
        TaskPolicyArn: { arn: taskArn('IAMAuditRootUserCredentials') },
      }),
    );
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(sandbox.state.sessions().at(-1)?.issuedTo).toContain(`:${CLEAN}:`);
  });

  test('may list features and accounts but not enable them', async () => {
    expect((await admin.iam.send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures).toHaveLength(2);
    await expect(admin.iam.send(new EnableOrganizationsRootSessionsCommand({}))).rejects.toMatchObject({
      name: 'CallerIsNotManagementAccountException',
    });
    expect((await admin.organizations.send(new ListAccountsCommand({}))).Accounts?.length).toBeGreaterThan(0);
    await expect(
      admin.organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: 'x.amazonaws.com' })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
