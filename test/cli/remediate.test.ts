import { startLocalStack, type LocalStack } from '../../local/local-stack';
import type { AccountFixture, OrganizationFixture } from '../../sandbox';
import { planSchemaErrors } from './support/schema';
import { cliEnvironment, rootkeeper, type RunDocument } from './support/subprocess';

/**
 * `remediate --plan` and the keys-in-use rule as users run them: the
 * command line in a subprocess against the local stack, on an organization
 * with root keys used days ago (the sandbox answers GetAccessKeyLastUsed).
 */

const MANAGEMENT = '999900000000';
/** Password only: the lowest risk, canary material. */
const SIMPLE = Array.from({ length: 8 }, (_, index) => `22220000000${index + 1}`);
/** A password, a key used 3 days ago by CloudFormation, a key never used. */
const KEY_IN_USE = '222200000010';
const USED_KEY = 'AKIAUSEDBYAJOB000001';
const UNUSED_KEY = 'AKIANEVERUSED0000001';
/** Only a key used 2 days ago: nothing else to delete. */
const ONLY_KEY = '222200000011';
const ONLY_USED_KEY = 'AKIAUSEDBYAJOB000002';
/** A hardware MFA device and a signing certificate, in the Prod OU. */
const HARDWARE = '222200000012';
const CLEAN = '222200000013';
/** A password and a key used 5 days ago, secured by the automatic path. */
const NEW_WITH_KEY = '222200000015';
const NEW_USED_KEY = 'AKIAUSEDBYAJOB000003';
const SUSPENDED = '222200000014';
const PROD_OU = 'ou-test-prod0001';
const REGION = 'us-east-1';

function organization(): OrganizationFixture {
  const accounts: AccountFixture[] = [
    ...SIMPLE.map((id) => ({ id, name: `simple-${id}`, rootCredentials: { loginProfile: true } })),
    {
      id: KEY_IN_USE,
      name: 'forgotten-job',
      parent: PROD_OU,
      rootCredentials: {
        loginProfile: true,
        accessKeys: [
          {
            accessKeyId: USED_KEY,
            lastUsed: { daysAgo: 3, serviceName: 'cloudformation', region: REGION },
          },
          { accessKeyId: UNUSED_KEY },
        ],
      },
    },
    {
      id: ONLY_KEY,
      name: 'only-a-key',
      rootCredentials: {
        accessKeys: [
          { accessKeyId: ONLY_USED_KEY, lastUsed: { daysAgo: 2, serviceName: 's3', region: REGION } },
        ],
      },
    },
    {
      id: HARDWARE,
      name: 'hardware-token',
      parent: PROD_OU,
      rootCredentials: {
        loginProfile: true,
        signingCertificates: [{ certificateId: 'CERTIFICATE000000001' }],
        mfaDevices: [{ serialNumber: 'GAHT00000001', type: 'hardware' }],
      },
    },
    { id: CLEAN, name: 'clean' },
    {
      id: NEW_WITH_KEY,
      name: 'invited-with-a-job',
      rootCredentials: {
        loginProfile: true,
        accessKeys: [
          { accessKeyId: NEW_USED_KEY, lastUsed: { daysAgo: 5, serviceName: 'ec2', region: REGION } },
        ],
      },
    },
    { id: SUSPENDED, name: 'suspended', status: 'SUSPENDED', rootCredentials: { loginProfile: true } },
  ];
  return {
    managementAccount: { id: MANAGEMENT, name: 'management' },
    features: { rootCredentialsManagement: true, rootSessions: true },
    trustedAccess: ['iam.amazonaws.com'],
    organizationalUnits: [{ id: PROD_OU, name: 'Prod' }],
    accounts,
  };
}

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({
    sandbox: { organization: organization(), region: REGION },
    retryDelayMs: 10,
  });
  env = cliEnvironment(stack.env);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

interface PlanDocument {
  readonly ok: boolean;
  readonly waves: {
    number: number;
    kind: string;
    accounts: {
      accountId: string;
      deletions: { action: string; target?: string; irreversible: boolean }[];
      keptKeys: { accessKeyId: string; lastUsedService?: string }[];
      risks: { kind: string; target: string }[];
    }[];
  }[];
  readonly notPlanned: { accountId: string; reason: string }[];
}

function planOf(stdout: string): PlanDocument {
  const document = JSON.parse(stdout) as PlanDocument;
  expect(planSchemaErrors(document)).toEqual([]);
  return document;
}

const reason = ['--reason', 'root key cleanup', '--ticket', 'SEC-16'];

describe('remediate --plan', () => {
  it('audits the accounts without a posture first, then prints the plan as a document (JSON)', async () => {
    const result = await rootkeeper(['remediate', '--all', '--plan', '--output', 'json'], env);
    expect(result.code).toBe(0);
    const plan = planOf(result.stdout);
    // Canary waves of 1 and 5 among the password-only accounts, then 25 % waves.
    expect(plan.waves.map((wave) => [wave.kind, wave.accounts.length])).toEqual([
      ['canary', 1],
      ['canary', 5],
      ['rollout', 3],
      ['rollout', 2],
    ]);
    expect(plan.waves[0]?.accounts[0]?.accountId).toBe(SIMPLE[0]);
    const inUse = plan.waves.flatMap((wave) => wave.accounts).find((a) => a.accountId === KEY_IN_USE);
    expect(inUse?.keptKeys).toEqual([
      expect.objectContaining({ accessKeyId: USED_KEY, lastUsedService: 'cloudformation' }),
    ]);
    expect(inUse?.deletions).toEqual([
      { action: 'DeleteLoginProfile', irreversible: false },
      { action: 'DeleteAccessKey', target: UNUSED_KEY, irreversible: true },
    ]);
    const hardware = plan.waves.flatMap((wave) => wave.accounts).find((a) => a.accountId === HARDWARE);
    expect(hardware?.risks.map((risk) => risk.kind)).toEqual(['SIGNING_CERTIFICATE', 'HARDWARE_MFA']);
    // The riskiest account comes last.
    expect(plan.waves.at(-1)?.accounts.at(-1)?.accountId).toBe(KEY_IN_USE);
    expect(plan.notPlanned.map((row) => `${row.accountId} ${row.reason.split(':')[0]}`)).toEqual([
      `${ONLY_KEY} ONLY_KEYS_IN_USE`,
      `${CLEAN} CLEAN`,
      `${SUSPENDED} NOT_ACTIVE`,
      `${MANAGEMENT} MANAGEMENT_ACCOUNT`,
    ]);
    expect(result.stderr).toBe('');
    // Nothing was deleted.
    expect(stack.sandbox.state.account(KEY_IN_USE).rootCredentials.accessKeys).toHaveLength(2);
  });

  it('prints the plan per wave for people, in 80 columns, with flags and what is kept', async () => {
    const result = await rootkeeper(
      ['remediate', '--ou', PROD_OU, '--plan', '--include-keys-in-use', '--canary', '1'],
      { ...env, COLUMNS: '80' },
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Remediation plan: 2 account(s), 2 wave(s), 0 key(s) in use kept, 0 not planned');
    expect(result.stdout).toContain('Wave 1 (canary, 1 account(s))');
    expect(result.stdout).toMatch(new RegExp(`${KEY_IN_USE} +password, key ${USED_KEY}\\*`));
    expect(result.stdout).toContain(`  ! KEY_IN_USE ${USED_KEY}: used 3 days ago by cloudformation: DELETED`);
    expect(result.stdout).toContain('  ! HARDWARE_MFA GAHT00000001: hardware or FIDO: only deactivated');
    expect(result.stdout).toContain('* irreversible');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
  });

  it('audits again a posture older than --max-posture-age-hours before planning', async () => {
    const result = await rootkeeper(
      ['remediate', '--account', SIMPLE[0] as string, '--plan', '--max-posture-age-hours', '0.0001'],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Auditing 1 account(s) whose posture is missing or too old');
    expect(result.stdout).toContain('Remediation plan: 1 account(s), 1 wave(s)');
  });

  it('names the flag of a bad setting and changes nothing', async () => {
    const result = await rootkeeper(['remediate', '--all', '--plan', '--wave-percent', '0'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--wave-percent');
    const both = await rootkeeper(['remediate', '--all', '--account', CLEAN, '--plan'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--all | --ou | --account');
  });
});

describe('keys in use are never deleted without their own confirmation', () => {
  it('Secure new account (also the audit’s automatic remediation) keeps the key in use: KEY_IN_USE', async () => {
    const stateMachineArn = stack.outputs.SecureNewAccountStateMachineArn as string;
    const record = await stack.stepFunctions.runExecution(stateMachineArn, {
      input: { accountId: NEW_WITH_KEY, source: 'aws.organizations', requestId: 'evt-key-in-use' },
    });
    expect(record.status).toBe('SUCCEEDED');
    const output = JSON.parse(record.output ?? '{}') as { outcome: string };
    expect(output.outcome).toBe('KEY_IN_USE');
    const credentials = stack.sandbox.state.account(NEW_WITH_KEY).rootCredentials;
    expect(credentials.loginProfile).toBeUndefined();
    expect(credentials.accessKeys.map((key) => key.accessKeyId)).toEqual([NEW_USED_KEY]);
  });

  it('delete-root-credentials keeps the key used 3 days ago: KEY_IN_USE, the rest deleted', async () => {
    const result = await rootkeeper(
      ['delete-root-credentials', '--account', KEY_IN_USE, ...reason, '--yes', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    const document = result.json<RunDocument & { run: { keptKeys: { accessKeyId: string }[] } }>();
    expect(document.outcome).toBe('KEY_IN_USE');
    expect(document.run.keptKeys.map((key) => key.accessKeyId)).toEqual([USED_KEY]);
    const credentials = stack.sandbox.state.account(KEY_IN_USE).rootCredentials;
    expect(credentials.loginProfile).toBeUndefined();
    expect(credentials.accessKeys.map((key) => key.accessKeyId)).toEqual([USED_KEY]);
  });

  it('--include-keys-in-use with --yes alone is refused, naming --confirm-keys-in-use', async () => {
    const result = await rootkeeper(
      ['delete-root-credentials', '--account', ONLY_KEY, '--include-keys-in-use', ...reason, '--yes'],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--confirm-keys-in-use ${ONLY_KEY}`);
    expect(stack.sandbox.state.account(ONLY_KEY).rootCredentials.accessKeys).toHaveLength(1);
  });

  it('--include-keys-in-use confirmed by repeating the account id deletes the key', async () => {
    const result = await rootkeeper(
      [
        'delete-root-credentials',
        '--account',
        ONLY_KEY,
        '--include-keys-in-use',
        '--confirm-keys-in-use',
        ONLY_KEY,
        ...reason,
        '--yes',
        '-o',
        'json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.json<RunDocument>().outcome).toBe('REMEDIATED');
    expect(stack.sandbox.state.account(ONLY_KEY).rootCredentials.accessKeys).toHaveLength(0);
  });

  it('status, history and report show the KEY_IN_USE account', async () => {
    const status = await rootkeeper(['status'], env);
    expect(status.stdout).toContain(`2 account(s) KEY_IN_USE in the last 30 days`);
    expect(status.stdout).toContain(KEY_IN_USE);
    const history = await rootkeeper(['history', '--outcome', 'KEY_IN_USE'], env);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`${KEY_IN_USE}\\s+delete\\s+KEY_IN_USE`));
    const report = await rootkeeper(['report', '--format', 'json'], env);
    const document = report.json<{
      totals: { keysInUse: number };
      accounts: { accountId: string; lastAction: { outcome: string } | null }[];
    }>();
    expect(document.totals.keysInUse).toBe(2);
    expect(document.accounts.find((row) => row.accountId === KEY_IN_USE)?.lastAction?.outcome).toBe(
      'KEY_IN_USE',
    );
  });
});
