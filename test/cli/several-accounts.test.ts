import { startLocalStack, type LocalStack } from '../../local/local-stack';
import { CLEAN, MEMBER, organization, PROTECTED, REGION } from './support/local-organization';
import { cliEnvironment, rootkeeper, rootkeeperOnTerminal, type RunDocument } from './support/subprocess';

/**
 * `--account A B` for delete-root-credentials and enable-recovery, as real
 * subprocesses against the local stack: every account's plan before one
 * question, each account its own run, a summary, one JSON document with
 * each account's own, and the exit code of the worst account.
 */

const SECOND = '111100000004';

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  const fixture = organization(true);
  fixture.accounts?.push({
    id: SECOND,
    name: 'billing',
    joinedMethod: 'INVITED',
    rootCredentials: { loginProfile: true, accessKeys: [{ accessKeyId: 'AKIAROOTKEY000000004' }] },
  });
  stack = await startLocalStack({
    sandbox: { organization: fixture, region: REGION },
    config: { protectedAccountIds: [PROTECTED] },
    retryDelayMs: 10,
  });
  env = cliEnvironment(stack.env);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const credentials = (account: string) => stack.sandbox.state.account(account).rootCredentials;

interface SeveralDocument {
  ok: boolean;
  exitCode: number;
  declined?: true;
  error: { name: string; message: string } | null;
  accounts: (RunDocument & { accountId: string; plan?: { credentials: unknown[] } })[];
}

describe('--account A B', () => {
  it('a "no" at the one question after every plan changes nothing in any account (exit 1)', async () => {
    const result = await rootkeeperOnTerminal(
      ['delete-root-credentials', '--account', MEMBER, SECOND, '--reason', 'invited accounts'],
      env,
      /go ahead\?/,
      'n\r',
    );
    expect(result.code).toBe(1);
    const transcript = result.stdout;
    const question = transcript.indexOf('Delete root credentials in 2 account(s): go ahead?');
    for (const account of [MEMBER, SECOND]) {
      const plan = transcript.indexOf(`Root credentials found in account ${account}`);
      expect(plan).toBeGreaterThanOrEqual(0);
      expect(question).toBeGreaterThan(plan);
    }
    // One question for both, never one per account.
    expect(transcript).not.toContain('Delete root credentials: go ahead?');
    expect(transcript).toContain('Nothing done: not confirmed.');
    expect(credentials(MEMBER).loginProfile).toBeDefined();
    expect(credentials(SECOND).accessKeys).toHaveLength(1);
  });

  it('deletes in each account, one run each, after showing both plans (human, --yes)', async () => {
    const result = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, SECOND, '--reason', 'invited accounts', '--yes'],
      env,
    );
    expect(result.code).toBe(0);
    const firstRun = result.stderr.indexOf(`[1/2] account ${MEMBER}`);
    for (const key of ['AKIAROOTKEY000000001', 'AKIAROOTKEY000000004']) {
      const planned = result.stderr.indexOf(`access key ${key}`);
      expect(planned).toBeGreaterThanOrEqual(0);
      expect(planned).toBeLessThan(firstRun);
    }
    expect(result.stderr.indexOf(`[2/2] account ${SECOND}`)).toBeGreaterThan(firstRun);
    expect(result.stdout.match(/Delete root credentials: REMEDIATED/g)).toHaveLength(2);
    expect(result.stdout).toContain('Delete root credentials: 2 of 2 account(s) done');
    console.log(result.stdout);
    expect(result.stdout).toMatch(new RegExp(`${SECOND}\\s+REMEDIATED\\s+0`));
    for (const account of [MEMBER, SECOND]) {
      expect(credentials(account).loginProfile).toBeUndefined();
      expect(credentials(account).accessKeys).toHaveLength(0);
    }
    // Two runs, one per account, each in its own account's history.
    for (const account of [MEMBER, SECOND]) {
      const history = await rootkeeper(['history', '--account', account, '-o', 'json'], env);
      const runs = history.json<{ runs: { workflow: string; outcome: string }[] }>().runs;
      expect(runs.filter((run) => run.outcome === 'REMEDIATED')).toHaveLength(1);
    }
  });

  it('enable-recovery: one account refused, the other enabled; exit 1, each account in the JSON', async () => {
    const result = await rootkeeper(
      [
        'enable-recovery',
        '--account',
        CLEAN,
        PROTECTED,
        '--reason',
        'closing both',
        '--yes',
        '--output',
        'json',
      ],
      env,
    );
    expect(result.code).toBe(1);
    const document = result.json<SeveralDocument>();
    expect(document).toMatchObject({
      ok: false,
      exitCode: 1,
      error: { name: 'NotEveryAccountDone' },
    });
    expect(document.error?.message).toContain(`1 of 2 account(s) done; not done: ${PROTECTED}`);
    expect(
      document.accounts.map((account) => [account.accountId, account.outcome, account.exitCode]),
    ).toEqual([
      [CLEAN, 'ENABLED', 0],
      [PROTECTED, expect.stringMatching(/^(SKIPPED|REJECTED)$/), 1],
    ]);
    expect(credentials(CLEAN).loginProfile).toBeDefined();
    expect(credentials(PROTECTED).loginProfile).toBeUndefined();
  });

  it('refuses --include-keys-in-use with several accounts (exit 2), and a bad id names the flag', async () => {
    const keys = await rootkeeper(
      [
        'delete-root-credentials',
        '--account',
        MEMBER,
        SECOND,
        '--include-keys-in-use',
        '--reason',
        'r',
        '--yes',
      ],
      env,
    );
    expect(keys.code).toBe(2);
    expect(keys.stderr).toContain('--include-keys-in-use: one account at a time');
    const bad = await rootkeeper(
      ['enable-recovery', '--account', CLEAN, '12345', '--reason', 'r', '--yes'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--account');
  });
});
