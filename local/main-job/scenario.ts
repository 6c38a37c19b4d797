import { generateOrganization, type AccountFixture, type OrganizationFixture } from '../../sandbox';

/**
 * The accounts the main job acts on, added to a seeded generated
 * organization with ids the generator cannot produce (it never starts an id
 * with 0), so the rest of the organization is the generator's own mix.
 */
export interface Scenario {
  readonly organization: OrganizationFixture;
  /** Created by Organizations just now: announced by CreateAccountResult, no root credentials. */
  readonly newAccount: { readonly id: string; readonly name: string };
  /** Invited long ago: a root password, two access keys and a virtual MFA device. */
  readonly invitedAccount: {
    readonly id: string;
    readonly name: string;
    readonly accessKeyIds: readonly string[];
  };
  /** Owns a bucket and a queue whose policies deny everyone. */
  readonly lockedAccount: {
    readonly id: string;
    readonly name: string;
    readonly bucketName: string;
    readonly bucketPolicy: string;
    readonly queueName: string;
    readonly queueRegion: string;
    readonly queuePolicy: string;
  };
  /** A clean account whose root mailbox owner needs account recovery. */
  readonly recoveryAccount: { readonly id: string; readonly name: string };
  /** The IAM delegated administrator, where Rootkeeper is deployed. */
  readonly delegatedAdministrator: { readonly id: string; readonly name: string };
  /** Invited, then enrolled into Control Tower: announced by UpdateManagedAccount; a root password. */
  readonly enrolledAccount: { readonly id: string; readonly name: string };
  /** The account-vending pipeline's role, the only principal allowed to send Account Vended. */
  readonly vendingPrincipalArn: string;
  /** A principal of the deploying account that tries to forge Account Vended. */
  readonly forgerPrincipalArn: string;
  /** Control Tower's home region in this organization. */
  readonly controlTowerHomeRegion: string;
}

const NEW_ACCOUNT_ID = '044445555666';
const INVITED_ACCOUNT_ID = '055556666777';
const LOCKED_ACCOUNT_ID = '066667777888';
const RECOVERY_ACCOUNT_ID = '077778888999';
const DELEGATED_ADMINISTRATOR_ID = '088889999000';
const ENROLLED_ACCOUNT_ID = '011112222333';
const VENDING_ACCOUNT_ID = '099990000111';

/**
 * A deny-everyone policy, pretty-printed on purpose: the backup must keep the
 * document byte for byte, whitespace included, not a re-serialization.
 */
function denyEveryone(sid: string, resources: readonly string[]): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Sid: sid, Effect: 'Deny', Principal: '*', Action: '*', Resource: resources }],
    },
    null,
    2,
  );
}

export function buildScenario(options: { accounts: number; seed: number }): Scenario {
  // A few accounts keep a root key a forgotten job still uses: never deleted automatically.
  const base = generateOrganization({ accounts: options.accounts, seed: options.seed, keysInUseAccounts: 3 });
  const bucketName = `locked-data-${LOCKED_ACCOUNT_ID}`;
  const queueName = 'locked-events';
  const queueRegion = 'us-east-1';
  const bucketPolicy = denyEveryone('DenyEveryone', [
    `arn:aws:s3:::${bucketName}`,
    `arn:aws:s3:::${bucketName}/*`,
  ]);
  const queuePolicy = denyEveryone('DenyEveryone', [
    `arn:aws:sqs:${queueRegion}:${LOCKED_ACCOUNT_ID}:${queueName}`,
  ]);
  const accessKeyIds = ['AKIAMAINJOBINVITED01', 'AKIAMAINJOBINVITED02'];
  const added: AccountFixture[] = [
    {
      id: INVITED_ACCOUNT_ID,
      name: 'legacy-invited',
      email: 'aws+legacy-invited@example.com',
      joinedMethod: 'INVITED',
      joinedTimestamp: '2019-03-01T10:00:00Z',
      rootCredentials: {
        loginProfile: { createDate: '2019-03-01T10:05:00Z' },
        accessKeys: accessKeyIds.map((accessKeyId) => ({ accessKeyId, createDate: '2019-03-02T09:00:00Z' })),
        mfaDevices: [
          { serialNumber: `arn:aws:iam::${INVITED_ACCOUNT_ID}:mfa/root-account-mfa-device`, type: 'virtual' },
        ],
      },
    },
    {
      id: LOCKED_ACCOUNT_ID,
      name: 'locked-resources',
      email: 'aws+locked-resources@example.com',
      joinedMethod: 'CREATED',
      buckets: [{ name: bucketName, region: 'us-east-1', policy: bucketPolicy }],
      queues: [{ name: queueName, region: queueRegion, policy: queuePolicy }],
    },
    {
      id: RECOVERY_ACCOUNT_ID,
      name: 'recovery-needed',
      email: 'aws+recovery-needed@example.com',
      joinedMethod: 'CREATED',
    },
    // Last: CreateAccountResult arrives for the newest account.
    {
      id: DELEGATED_ADMINISTRATOR_ID,
      name: 'security-tooling',
      email: 'aws+security-tooling@example.com',
      joinedMethod: 'CREATED',
    },
    {
      id: VENDING_ACCOUNT_ID,
      name: 'account-vending',
      email: 'aws+account-vending@example.com',
      joinedMethod: 'CREATED',
    },
    {
      id: ENROLLED_ACCOUNT_ID,
      name: 'enrolled-workload',
      email: 'aws+enrolled-workload@example.com',
      joinedMethod: 'INVITED',
      joinedTimestamp: '2021-06-01T10:00:00Z',
      rootCredentials: { loginProfile: { createDate: '2021-06-01T10:05:00Z' } },
    },
    {
      id: NEW_ACCOUNT_ID,
      name: 'payments-sandbox',
      email: 'aws+payments-sandbox@example.com',
      joinedMethod: 'CREATED',
    },
  ];
  return {
    organization: {
      ...base,
      accounts: [...base.accounts, ...added],
      delegatedAdministrator: { accountId: DELEGATED_ADMINISTRATOR_ID },
    },
    newAccount: { id: NEW_ACCOUNT_ID, name: 'payments-sandbox' },
    invitedAccount: { id: INVITED_ACCOUNT_ID, name: 'legacy-invited', accessKeyIds },
    lockedAccount: {
      id: LOCKED_ACCOUNT_ID,
      name: 'locked-resources',
      bucketName,
      bucketPolicy,
      queueName,
      queueRegion,
      queuePolicy,
    },
    recoveryAccount: { id: RECOVERY_ACCOUNT_ID, name: 'recovery-needed' },
    delegatedAdministrator: { id: DELEGATED_ADMINISTRATOR_ID, name: 'security-tooling' },
    enrolledAccount: { id: ENROLLED_ACCOUNT_ID, name: 'enrolled-workload' },
    vendingPrincipalArn: `arn:aws:iam::${VENDING_ACCOUNT_ID}:role/account-vending`,
    forgerPrincipalArn: `arn:aws:iam::${DELEGATED_ADMINISTRATOR_ID}:role/developer`,
    controlTowerHomeRegion: 'eu-west-1',
  };
}
