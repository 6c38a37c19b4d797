import {
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  IAMClient,
  ListOrganizationsFeaturesCommand,
} from '@aws-sdk/client-iam';
import {
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { runCli } from './support/in-process';

/** `enable` skips what is already on and keeps AWS's order; in process, AWS mocked. */

const iam = mockClient(IAMClient);
const organizations = mockClient(OrganizationsClient);

beforeEach(() => {
  iam.reset();
  organizations.reset();
  organizations
    .on(ListAWSServiceAccessForOrganizationCommand)
    .resolves({ EnabledServicePrincipals: [{ ServicePrincipal: 'iam.amazonaws.com' }] });
});

it('enables only the missing feature', async () => {
  iam.on(ListOrganizationsFeaturesCommand).resolves({ EnabledFeatures: ['RootCredentialsManagement'] });
  const result = await runCli(['enable', '--yes', '-o', 'json']);
  expect(result.code).toBe(0);
  expect(result.json()).toMatchObject({
    steps: [{ status: 'ALREADY_ENABLED' }, { status: 'ALREADY_ENABLED' }, { status: 'ENABLED' }],
  });
  expect(organizations.commandCalls(EnableAWSServiceAccessCommand)).toHaveLength(0);
  expect(iam.commandCalls(EnableOrganizationsRootCredentialsManagementCommand)).toHaveLength(0);
  expect(iam.commandCalls(EnableOrganizationsRootSessionsCommand)).toHaveLength(1);
});

it('asks nothing and changes nothing when everything is on', async () => {
  iam
    .on(ListOrganizationsFeaturesCommand)
    .resolves({ EnabledFeatures: ['RootCredentialsManagement', 'RootSessions'] });
  const result = await runCli(['enable']);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('RootSessions: already on');
  expect(iam.commandCalls(EnableOrganizationsRootSessionsCommand)).toHaveLength(0);
});

it('stops at the failing step with exit 3 and the missing permission', async () => {
  organizations.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [] });
  iam.on(ListOrganizationsFeaturesCommand).rejects(
    Object.assign(new Error('trusted access is not enabled'), {
      name: 'ServiceAccessNotEnabledException',
      $metadata: {},
    }),
  );
  organizations.on(EnableAWSServiceAccessCommand).rejects(
    Object.assign(new Error('You don’t have permissions to access this resource.'), {
      name: 'AccessDeniedException',
      $metadata: {},
    }),
  );
  const result = await runCli(['enable', '--yes']);
  expect(result.code).toBe(3);
  expect(result.stderr).toContain('missing permission organizations:EnableAWSServiceAccess');
  expect(iam.commandCalls(EnableOrganizationsRootCredentialsManagementCommand)).toHaveLength(0);
});
