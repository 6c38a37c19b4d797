import { DescribeAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/handlers/check-account-eligibility';
import { eligibilityConfigFromEnv } from '../../../lambdas/handlers/eligibility-settings';
import { ConfigurationError } from '../../../lambdas/shared/env';

const context = { functionName: 'CheckAccountEligibility', awsRequestId: 'req-1' } as Context;

describe('CheckAccountEligibility handler', () => {
  const organizations = mockClient(OrganizationsClient);
  const saved = { ...process.env };

  beforeAll(() => {
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      MANAGEMENT_ACCOUNT_ID: '111111111111',
      PROTECTED_ACCOUNT_IDS: '333333333333, 444444444444',
      PROTECTED_OU_IDS: '',
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  test('reads its settings from the environment and answers the decision', async () => {
    organizations
      .on(DescribeAccountCommand)
      .resolves({ Account: { Id: '222222222222', Name: 'dev', State: 'ACTIVE' } });
    await expect(handler({ accountId: '222222222222' }, context)).resolves.toEqual({
      accountId: '222222222222',
      eligible: true,
      accountName: 'dev',
      accountStatus: 'ACTIVE',
    });
    await expect(handler({ accountId: '444444444444' }, context)).resolves.toEqual({
      accountId: '444444444444',
      eligible: false,
      reason: 'PROTECTED_ACCOUNT',
    });
    await expect(handler({ accountId: '111111111111' }, context)).resolves.toMatchObject({
      reason: 'MANAGEMENT_ACCOUNT',
    });
  });

  test('a malformed account id is rejected naming the field', async () => {
    await expect(handler({ accountId: 'abc' }, context)).rejects.toThrow(/^accountId: /);
  });
});

describe('eligibilityConfigFromEnv', () => {
  test('parses the lists', () => {
    expect(
      eligibilityConfigFromEnv({
        PROTECTED_ACCOUNT_IDS: '333333333333',
        PROTECTED_OU_IDS: 'ou-ab12-cdef5678, ou-ab12-99998888',
      }),
    ).toEqual({
      protectedAccountIds: ['333333333333'],
      protectedOuIds: ['ou-ab12-cdef5678', 'ou-ab12-99998888'],
    });
  });

  test.each([
    [{ MANAGEMENT_ACCOUNT_ID: '12' }, /MANAGEMENT_ACCOUNT_ID/],
    [{ PROTECTED_ACCOUNT_IDS: '333333333333,33333' }, /PROTECTED_ACCOUNT_IDS: "33333"/],
    [{ PROTECTED_OU_IDS: 'r-ab12' }, /PROTECTED_OU_IDS: "r-ab12"/],
  ])('a malformed id stops the function: %p', (env, message) => {
    expect(() => eligibilityConfigFromEnv(env)).toThrow(ConfigurationError);
    expect(() => eligibilityConfigFromEnv(env)).toThrow(message);
  });
});
