/**
 * Organization variants: generator options and the `npm run sandbox` flags that expose them
 * (features off, trusted access off, a delegated administrator, suspended and invited accounts).
 */
import { spawn } from 'node:child_process';
import { ListOrganizationsFeaturesCommand } from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { generateOrganization, startSandbox } from '../../sandbox';

test('variants change what they name and keep the seeded base', () => {
  const base = generateOrganization({ accounts: 40, seed: 3 });
  const variant = generateOrganization({
    accounts: 40,
    seed: 3,
    featuresEnabled: true,
    trustedAccess: false,
    delegatedAdministrator: true,
    suspendedAccounts: 5,
    invitedAccounts: 15,
  });
  expect(variant.accounts.map((a) => a.id)).toEqual(base.accounts.map((a) => a.id));
  expect(variant.trustedAccess).toEqual([]);
  expect(variant.features).toEqual({ rootCredentialsManagement: true, rootSessions: true });
  expect(variant.accounts.filter((a) => a.status === 'SUSPENDED')).toHaveLength(5);
  const invited = variant.accounts.filter((a) => a.status === 'ACTIVE' && a.joinedMethod === 'INVITED');
  expect(invited.length).toBeGreaterThanOrEqual(15);
  expect(invited.every((a) => a.rootCredentials !== undefined)).toBe(true);
  const delegated = variant.accounts.find((a) => a.id === variant.delegatedAdministrator?.accountId);
  expect(delegated?.status).toBe('ACTIVE');
});

test('keysInUseAccounts: root keys used within the last 20 days of the sandbox clock, seeded base unchanged', async () => {
  const base = generateOrganization({ accounts: 40, seed: 3 });
  const variant = generateOrganization({ accounts: 40, seed: 3, keysInUseAccounts: 6 });
  expect(variant.accounts.map((a) => a.id)).toEqual(base.accounts.map((a) => a.id));
  const usedRecently = variant.accounts.filter((a) =>
    a.rootCredentials?.accessKeys?.some((key) => key.lastUsed?.daysAgo !== undefined),
  );
  expect(usedRecently).toHaveLength(6);
  expect(usedRecently.every((a) => a.status === 'ACTIVE')).toBe(true);

  // The sandbox answers a date relative to its own clock: recent whenever it runs.
  const start = new Date('2031-05-01T00:00:00Z');
  const sandbox = await startSandbox({ organization: variant, clock: start });
  try {
    const [first] = usedRecently;
    const key = sandbox.state.account(first!.id).rootCredentials.accessKeys[0];
    const daysAgo = (start.getTime() - (key?.lastUsed?.date.getTime() ?? 0)) / 86_400_000;
    expect(daysAgo).toBeGreaterThanOrEqual(1);
    expect(daysAgo).toBeLessThanOrEqual(20);
  } finally {
    await sandbox.close();
  }
});

test('npm run sandbox -- --trusted-access off --delegated-admin serves that organization', async () => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'sandbox/cli.ts',
      '--port',
      '0',
      '--accounts',
      '12',
      '--trusted-access',
      'off',
      '--delegated-admin',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ctrl-C')) resolve(out);
      });
      child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
    });
    const endpoint = /listening on (\S+)/.exec(banner)?.[1] ?? '';
    const key = (label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(banner)?.[1] ?? '';
    expect(banner).toContain('trusted access for IAM off');
    const delegated = /delegated admin\s+(\d{12})/.exec(banner)?.[1];
    expect(delegated).toMatch(/^\d{12}$/);
    const credentials = { accessKeyId: key('access key id'), secretAccessKey: key('secret access key') };
    const sts = new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const target = delegated ?? '';
    await expect(
      sts.send(
        new AssumeRootCommand({
          TargetPrincipal: target,
          TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    const { IAMClient } = await import('@aws-sdk/client-iam');
    const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await expect(iam.send(new ListOrganizationsFeaturesCommand({}))).rejects.toMatchObject({
      name: 'ServiceAccessNotEnabledException',
    });
  } finally {
    child.kill('SIGTERM');
  }
});
