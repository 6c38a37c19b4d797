import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalStack } from '../../local/local-stack';
import { CLEAN, MEMBER } from './support/local-organization';
import { rootkeeper, type RunDocument } from './support/subprocess';
import { startCliStack } from './support/cli-stack';

/**
 * The other commands as real subprocesses (`node bin/rootkeeper.js`) against
 * the local stack: status, delete-root-credentials, enable-recovery, audit,
 * history, report. unlock.test.ts covers the unlocks and the error paths.
 */

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  ({ stack, env } = await startCliStack());
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const reason = ['--reason', 'invited account keeps a root password', '--ticket', 'SEC-7'];

describe('read-only commands', () => {
  it('status: features on, the stack and its seven workflows', async () => {
    const json = await rootkeeper(['status', '--output', 'json'], env);
    expect(json.code).toBe(0);
    const document = json.json<{
      organization: { ready: boolean };
      stack: { deployed: boolean; workflows: { stateMachineArn: string | null }[] };
    }>();
    expect(document.organization.ready).toBe(true);
    expect(document.stack.deployed).toBe(true);
    expect(document.stack.workflows).toHaveLength(7);
    expect(document.stack.workflows.every((workflow) => workflow.stateMachineArn?.startsWith('arn:'))).toBe(
      true,
    );
  });
});

describe('root credentials and recovery', () => {
  it('delete-root-credentials: a dry run plans, the real run deletes', async () => {
    const dryRun = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, '--dry-run', ...reason, '-o', 'json'],
      env,
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.json<RunDocument>().outcome).toBe('PLANNED');
    expect(stack.sandbox.state.account(MEMBER).rootCredentials.loginProfile).toBeDefined();

    const real = await rootkeeper(['delete-root-credentials', '--account', MEMBER, ...reason, '--yes'], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('REMEDIATED');
    expect(stack.sandbox.state.account(MEMBER).rootCredentials.loginProfile).toBeUndefined();
    expect(stack.sandbox.state.account(MEMBER).rootCredentials.accessKeys).toHaveLength(0);
  });

  it('enable-recovery creates a login profile without password', async () => {
    const result = await rootkeeper(
      ['enable-recovery', '--account', CLEAN, ...reason, '--yes', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.json<RunDocument>().outcome).toBe('ENABLED');
    expect(stack.sandbox.state.account(CLEAN).rootCredentials.loginProfile).toBeDefined();
  });
});

describe('--local', () => {
  it('reads endpoints, credentials and outputs from the local file instead of the environment', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rootkeeper-local-')), 'local.json');
    const credentials = {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    };
    writeFileSync(
      file,
      JSON.stringify({
        region: stack.region,
        endpoints: stack.endpoints,
        outputs: stack.outputs,
        credentials,
      }),
    );
    const bare = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AWS_')));
    const result = await rootkeeper(['--local', 'status', '-o', 'json'], {
      ...bare,
      ROOTKEEPER_LOCAL_FILE: file,
    });
    expect(result.stderr).toBe('');
    expect(result.json()).toMatchObject({ organization: { ready: true }, stack: { deployed: true } });
  });
});

describe('audit, history and report', () => {
  it('audits named accounts and prints their postures', async () => {
    const result = await rootkeeper(['audit', '--account', MEMBER, CLEAN, '-o', 'json'], env);
    expect(result.code).toBe(0);
    const document = result.json<{ postures: { accountId: string; credentialsPresent: boolean }[] }>();
    expect(document.postures.map((posture) => posture.accountId)).toEqual([MEMBER, CLEAN]);
    expect(document.postures.find((posture) => posture.accountId === MEMBER)?.credentialsPresent).toBe(false);
  });

  it('audits the whole organization (human output)', async () => {
    const result = await rootkeeper(['audit', '--all'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/account\(s\) recorded/);
  });

  it('history lists the runs of an account, and runs by outcome and time', async () => {
    type History = { filters: { includePlans: boolean }; runs: { workflow: string; outcome: string }[] };
    // The PLANNED runs (the plan read before the delete, the dry run) are left out by default...
    const ofMember = await rootkeeper(['history', '--account', MEMBER, '-o', 'json'], env);
    expect(ofMember.code).toBe(0);
    const runs = ofMember.json<History>().runs;
    expect(runs.map((run) => run.outcome)).toContain('REMEDIATED');
    expect(runs.map((run) => run.outcome)).not.toContain('PLANNED');
    expect(ofMember.json<History>().filters.includePlans).toBe(false);
    const recent = await rootkeeper(['history', '--since', '1h'], env);
    expect(recent.stdout).toMatch(/111100000001\s+delete\s+REMEDIATED/);
    expect(recent.stdout).not.toMatch(/delete\s+PLANNED/);
    expect(recent.stdout).toContain('PLANNED runs (dry runs, plans shown) left out: --include-plans');
    // ...and shown with --include-plans, by account and by time.
    const withPlans = await rootkeeper(
      ['history', '--account', MEMBER, '--include-plans', '-o', 'json'],
      env,
    );
    expect(withPlans.json<History>().runs.map((run) => run.outcome)).toEqual(
      expect.arrayContaining(['PLANNED', 'REMEDIATED']),
    );
    const recentWithPlans = await rootkeeper(['history', '--since', '1h', '--include-plans'], env);
    expect(recentWithPlans.stdout).toMatch(/111100000001\s+delete\s+PLANNED/);
    expect(recentWithPlans.stdout).not.toContain('left out');
    const planned = await rootkeeper(['history', '--outcome', 'planned', '--since', '1h'], env);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/111100000001\s+delete\s+PLANNED/);
    expect(planned.stdout).not.toContain('REMEDIATED');
  });

  it('report: CSV and JSON (the other formats are unit-tested)', async () => {
    const [csv, json] = await Promise.all(
      ['csv', 'json'].map((format) => rootkeeper(['report', '--format', format], env)),
    );
    expect(csv?.code).toBe(0);
    expect(csv?.stdout.split('\r\n')[0]).toBe(
      'account,root credentials,last checked,last action,action at,requested by',
    );
    const report = json?.json<{
      totals: { accounts: number };
      accounts: { accountId: string; lastAction: unknown }[];
    }>();
    expect(report?.accounts.map((account) => account.accountId)).toEqual(
      expect.arrayContaining([MEMBER, CLEAN]),
    );
    expect(report?.accounts.find((account) => account.accountId === MEMBER)?.lastAction).toMatchObject({
      outcome: 'REMEDIATED',
    });
  });
});
