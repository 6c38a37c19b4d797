import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../lib/config';

describe('parseConfig', () => {
  test('fills the documented defaults', () => {
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig({})).toMatchObject({
      auditSchedule: 'rate(1 day)',
      auditConcurrency: 40,
      auditShardSize: 100,
      autoRemediateOnAudit: false,
      keyInUseDays: 90,
      secureFirstSeenOnAudit: true,
      forwardOrganizationsEvents: true,
      securityHubFindings: false,
    });
  });

  test('accepts a full configuration, and a JSON string from -c', () => {
    const raw = {
      deployment: 'delegated-admin',
      controlTowerHomeRegion: 'eu-central-1',
      vendingPrincipalArns: [
        'arn:aws:iam::222222222222:role/pipelines/vending',
        'arn:aws:iam::222222222222:user/ci',
      ],
      protectedAccountIds: ['111122223333'],
      protectedOuIds: ['ou-ab12-cd34ef56'],
      managementAccountId: '111111111111',
      auditSchedule: 'cron(0 3 * * ? *)',
      auditConcurrency: 10000,
      auditShardSize: 50,
      autoRemediateOnAudit: true,
      keyInUseDays: 30,
      secureFirstSeenOnAudit: false,
      notificationEmail: 'oncall@example.com',
      rootSessionDurationSeconds: 300,
      forwardOrganizationsEvents: false,
      securityHubFindings: true,
      approvals: { deleteRootCredentials: false, enableRecovery: false, unlockS3: true, unlockSqs: true },
      approvalExpirySeconds: 900,
      approverPrincipals: ['arn:aws:iam::111111111111:role/Approvers'],
    };
    expect(parseConfig(raw)).toEqual(raw);
    expect(parseConfig(JSON.stringify(raw))).toEqual(raw);
    expect(parseConfig({ protectedAccountIds: '111122223333, 444455556666' }).protectedAccountIds).toEqual([
      '111122223333',
      '444455556666',
    ]);
  });

  test.each([
    [
      { protectedAccountIds: ['12345'] },
      'rootkeeper.protectedAccountIds: "12345" is not a 12-digit account id',
    ],
    [{ protectedOuIds: ['r-abcd'] }, 'rootkeeper.protectedOuIds'],
    [{ managementAccountId: 'management' }, 'rootkeeper.managementAccountId'],
    [{ auditSchedule: 'every day' }, 'rootkeeper.auditSchedule'],
    [{ auditConcurrency: 0 }, 'rootkeeper.auditConcurrency: must be an integer from 1 to 10000, got 0'],
    [{ auditConcurrency: 10001 }, 'rootkeeper.auditConcurrency'],
    [{ auditConcurrency: 2.5 }, 'rootkeeper.auditConcurrency'],
    [{ auditShardSize: 0 }, 'rootkeeper.auditShardSize'],
    [{ autoRemediateOnAudit: 'yes' }, 'rootkeeper.autoRemediateOnAudit: must be true or false'],
    [{ keyInUseDays: 0 }, 'rootkeeper.keyInUseDays: must be an integer from 1 to 3650, got 0'],
    [{ keyInUseDays: '90 days' }, 'rootkeeper.keyInUseDays'],
    [{ secureFirstSeenOnAudit: 1 }, 'rootkeeper.secureFirstSeenOnAudit'],
    [{ notificationEmail: 'not an address' }, 'rootkeeper.notificationEmail'],
    [
      { rootSessionDurationSeconds: 901 },
      'rootkeeper.rootSessionDurationSeconds: must be an integer from 1 to 900',
    ],
    [{ rootSessionDurationSeconds: 0 }, 'rootkeeper.rootSessionDurationSeconds'],
    [{ forwardOrganizationsEvents: 'no' }, 'rootkeeper.forwardOrganizationsEvents'],
    [{ securityHubFindings: 'on' }, 'rootkeeper.securityHubFindings: must be true or false, got "on"'],
    [{ auditConcurency: 5 }, 'rootkeeper.auditConcurency: is not a known setting'],
    ['{not json', 'rootkeeper.(root): is not valid JSON'],
    [{ deployment: 'delegated' }, 'rootkeeper.deployment: must be one of "management", "delegated-admin"'],
    [
      { deployment: 'delegated-admin' },
      'rootkeeper.managementAccountId: is required when deployment is "delegated-admin"',
    ],
    [
      { controlTowerHomeRegion: 'eu-middle-9' },
      'rootkeeper.controlTowerHomeRegion: "eu-middle-9" is not a known AWS region',
    ],
    [{ controlTowerHomeRegion: 'Frankfurt' }, 'rootkeeper.controlTowerHomeRegion'],
    [
      { vendingPrincipalArns: ['arn:aws:iam::222222222222:role/*'] },
      'rootkeeper.vendingPrincipalArns: "arn:aws:iam::222222222222:role/*" is not an IAM role or user ARN',
    ],
    [
      { vendingPrincipalArns: ['arn:aws:sts::222222222222:assumed-role/vending/session'] },
      'rootkeeper.vendingPrincipalArns',
    ],
    [{ vendingPrincipalArns: 'arn:aws:iam::2222:role/vending' }, 'rootkeeper.vendingPrincipalArns'],
    [[], 'rootkeeper.(root): must be an object'],
  ])('refuses %j with a message naming the value', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });
});
