import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalStack } from '../../local/local-stack';
import { CLEAN, MEMBER, organization, REGION, UNKNOWN } from './support/local-organization';
import { startCliStack } from './support/cli-stack';
import { BIN, rootkeeper } from './support/subprocess';
import { executionsStartedBetween, worldSnapshot } from './support/world-snapshot';

/**
 * What an on-call engineer sees, as real subprocesses against the local
 * stack: a command from shell history after a restore, a bucket given with
 * the wrong account, Ctrl-C while waiting and `watch`. S3 answers slowly
 * here (0.6 s a call) so that there is time to press Ctrl-C.
 */

const HISTORY_BUCKET = 'history-bucket';
const WRONG_BUCKET = 'wrong-account-bucket';
const SLOW_BUCKET = 'slow-bucket';

const deny = (name: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${name}/*` }],
  });

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  const fixture = organization(true);
  const member = fixture.accounts?.find((account) => account.id === MEMBER);
  member?.buckets?.push(
    ...[HISTORY_BUCKET, WRONG_BUCKET, SLOW_BUCKET].map((name) => ({
      name,
      region: REGION,
      policy: deny(name),
    })),
  );
  ({ stack, env } = await startCliStack({ organization: fixture, latency: { s3: { fixedMs: 600 } } }));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const policyOf = (name: string) => stack.sandbox.state.bucket(name)?.policy;
const worldOf = (bucket: string) => worldSnapshot(stack, { policy: () => policyOf(bucket) });

/** Nothing changed between the two snapshots, apart from read-only plan runs. */
function expectOnlyThePlanRead(before: ReturnType<typeof worldOf>, after: ReturnType<typeof worldOf>): void {
  expect(before.resources.policy).toEqual(expect.any(String));
  expect(after.resources).toEqual(before.resources);
  expect(after.changingCalls).toEqual(before.changingCalls);
  const started = executionsStartedBetween(before, after);
  expect(started.length).toBeGreaterThan(0);
  for (const execution of started) expect(execution).toMatch(/ \(dry run\)$/);
}
const unlock = (bucket: string, account = MEMBER) => [
  'unlock-s3',
  '--account',
  account,
  '--bucket',
  bucket,
  '--delete',
  '--reason',
  'policy denies everyone',
  '--yes',
];

describe('a command run again from shell history', () => {
  it('says the request already ran, does nothing, and acts again only with --again', async () => {
    const first = await rootkeeper(unlock(HISTORY_BUCKET), env);
    expect(first.code).toBe(0);
    expect(policyOf(HISTORY_BUCKET)).toBeUndefined();
    const backupId = /restore-policy --backup (\S+)/.exec(first.stdout)?.[1] ?? '';
    const restored = await rootkeeper(
      ['restore-policy', '--backup', backupId, '--reason', 'put it back', '--yes'],
      env,
    );
    expect(restored.code).toBe(0);
    const restoredWorld = worldOf(HISTORY_BUCKET);
    expect(restoredWorld.resources.policy).toBe(deny(HISTORY_BUCKET));

    // The same command again: the bucket is locked again, and the output must not say UNLOCKED as news.
    const rerun = await rootkeeper(unlock(HISTORY_BUCKET), env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(
      /^! This request already ran at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(just now\): result UNLOCKED; nothing done now; pass --again to run it again\.$/m,
    );
    expect(rerun.stdout).not.toContain('✔');
    expect(worldOf(HISTORY_BUCKET)).toEqual(restoredWorld);

    const json = await rootkeeper([...unlock(HISTORY_BUCKET), '-o', 'json'], env);
    expect(json.json()).toMatchObject({
      alreadyRan: true,
      outcome: 'UNLOCKED',
      happenedAt: expect.any(String) as string,
    });
    expect(worldOf(HISTORY_BUCKET)).toEqual(restoredWorld);

    const again = await rootkeeper([...unlock(HISTORY_BUCKET), '--again'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^✔ Unlock S3 bucket policy: UNLOCKED at .* UTC \(just now\)$/m);
    expect(policyOf(HISTORY_BUCKET)).toBeUndefined();
  }, 60_000);
});

describe('a bucket given with the wrong account', () => {
  it('reads as a wrong --account in one line with what to do; the stack only with --debug', async () => {
    const before = worldOf(WRONG_BUCKET);
    const human = await rootkeeper(unlock(WRONG_BUCKET, CLEAN), env);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(
      // The plan read fails first: nothing is asked, nothing done.
      `✘ Unlock S3 bucket policy (reading the plan): FAILED for bucket ${WRONG_BUCKET} in account ${CLEAN} at `,
    );
    expect(human.stdout).toContain(
      `WrongAccountError: bucket ${WRONG_BUCKET} is not in account ${CLEAN}: that account's own root user was refused s3:GetBucketPolicy`,
    );
    expect(human.stdout).toContain('what to do: check --account: give the account that owns the bucket');
    for (const text of [human.stdout, human.stderr]) {
      expect(text).not.toMatch(/errorType|trace|at toDomainError|\.ts:\d+/);
    }
    expectOnlyThePlanRead(before, worldOf(WRONG_BUCKET));

    // The same request again: the plan is read again (a new read-only run,
    // failing now, at its own time); the unlock itself was never started.
    const json = await rootkeeper([...unlock(WRONG_BUCKET, CLEAN), '-o', 'json'], env);
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({
      outcome: 'FAILED',
      error: {
        name: 'WrongAccountError',
        message: expect.stringContaining(`bucket ${WRONG_BUCKET} is not in account ${CLEAN}`) as string,
        advice: expect.stringContaining('check --account') as string,
      },
      run: { target: WRONG_BUCKET, accountId: CLEAN, outcome: 'FAILED' },
    });
    expect(json.stdout).not.toMatch(/trace|errorType/);

    const debug = await rootkeeper(['--debug', ...unlock(WRONG_BUCKET, CLEAN)], env);
    expect(debug.stdout).toContain('raw cause:');
    expect(debug.stdout).toContain('"trace"');
  }, 60_000);
});

describe('Ctrl-C while waiting', () => {
  it('while the plan is read: exit 130, nothing asked, nothing changed', async () => {
    const before = worldOf(SLOW_BUCKET);
    const child = spawn(process.execPath, [BIN, ...unlock(SLOW_BUCKET)], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/^Reading the plan: Read the bucket policy/m.test(stderr) && child.signalCode === null)
          child.kill('SIGINT');
      });
      child.on('close', (exit) => resolve(exit));
    });
    expect(code).toBe(130);
    expect(stdout).toContain('Stopped while reading the plan: nothing was asked and nothing was changed.');
    expect(stderr).not.toContain('run id');
    // The plan's read-only run goes on; wait for it so a change it made would show.
    await stack.stepFunctions.waitForIdle();
    expectOnlyThePlanRead(before, worldOf(SLOW_BUCKET));
  }, 60_000);

  it('stops waiting (exit 130), prints the run and `rootkeeper watch RUN`; watch follows it to the end', async () => {
    const child = spawn(process.execPath, [BIN, ...unlock(SLOW_BUCKET)], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // Interrupt once the workflow is in a step that waits on S3.
        // (The real run's progress, after the plan was read and shown.)
        if (/^Unlock S3 bucket policy: Read the bucket policy/m.test(stderr) && child.signalCode === null)
          child.kill('SIGINT');
      });
      child.on('close', (exit) => resolve(exit));
    });
    expect(code).toBe(130);
    expect(stdout).toContain('Stopped waiting; the workflow keeps running.');
    const runId = /follow it\s+rootkeeper watch (\S+)/.exec(stdout)?.[1] ?? '';
    expect(runId).toMatch(/^unlock-s3-111100000001-[0-9a-f]{20}-\d{8}T\d{6}Z$/);

    const watched = await rootkeeper(['watch', runId], env);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/^✔ Unlock S3 bucket policy: UNLOCKED at .* UTC/m);
    expect(policyOf(SLOW_BUCKET)).toBeUndefined();

    const arn = /execution\s+(arn:\S+)/.exec(stdout)?.[1] ?? '';
    const byArn = await rootkeeper(['watch', arn, '-o', 'json'], env);
    expect(byArn.json()).toMatchObject({ outcome: 'UNLOCKED', execution: { arn } });
  }, 60_000);

  it('names an unknown run clearly (exit 2)', async () => {
    const result = await rootkeeper(['watch', 'unlock-s3-nope'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run unlock-s3-nope');
  });
});

describe('history and report at 80 columns', () => {
  const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

  it('history answers "what happened to this account": target, RESTORED, error; 80 columns; --wide and JSON', async () => {
    const history = await rootkeeper(['history', '--since', '1h'], env);
    expect(history.code).toBe(0);
    expect(widest(history.stdout)).toBeLessThanOrEqual(80);
    const lines = history.stdout.split('\n');
    expect(lines[0]).toMatch(/^started \(UTC\)\s+account\s+workflow\s+target\s+outcome\s+error$/);
    expect(lines.some((line) => line.includes(HISTORY_BUCKET) && /\bRESTORED\b/.test(line))).toBe(true);
    // The failed run keeps its bucket; its error name is cut to fit 80 columns (--wide has it whole).
    expect(history.stdout).toMatch(new RegExp(`^.*${CLEAN} .* ${WRONG_BUCKET} +FAILED +Root`, 'm'));

    const wide = await rootkeeper(['history', '--since', '1h', '--wide'], env);
    expect(wide.stdout).toContain('policy denies everyone');

    const json = await rootkeeper(
      ['history', '--account', MEMBER, '--outcome', 'RESTORED', '-o', 'json'],
      env,
    );
    const document = json.json<{ runs: { outcome: string; target: string }[] }>();
    expect(document.runs).toEqual([expect.objectContaining({ outcome: 'RESTORED', target: HISTORY_BUCKET })]);

    const until = await rootkeeper(['history', '--until', '2020-01-01', '-o', 'json'], env);
    expect(until.json()).toMatchObject({ count: 0 });
  }, 60_000);

  it('report fits 80 columns and never lists an account that is not a member', async () => {
    const typo = await rootkeeper(unlock(HISTORY_BUCKET, UNKNOWN), env);
    expect(typo.code).toBe(1);
    const report = await rootkeeper(['report'], env);
    expect(report.code).toBe(0);
    expect(widest(report.stdout)).toBeLessThanOrEqual(80);
    expect(report.stdout).toContain(MEMBER);
    expect(report.stdout).not.toContain(UNKNOWN);
    const json = await rootkeeper(['report', '-o', 'json'], env);
    expect(JSON.stringify(json.json())).not.toContain(UNKNOWN);
  }, 60_000);
});

describe('--profile as the AWS CLI has it', () => {
  it("applies the profile's region, endpoint_url and [services] section; a typo is named", async () => {
    const { endpoints } = stack;
    const credentials = stack.sandbox.managementCredentials;
    const home = env.HOME ?? '';
    writeFileSync(
      path.join(home, 'config'),
      [
        '[profile oncall]',
        `region = ${REGION}`,
        `endpoint_url = ${endpoints.sandbox}`,
        'services = local',
        '',
        '[services local]',
        'sfn =',
        `  endpoint_url = ${endpoints.stepFunctions}`,
        'dynamodb =',
        `  endpoint_url = ${endpoints.dynamodb}`,
        'cloudformation =',
        `  endpoint_url = ${endpoints.cloudFormation}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(home, 'credentials'),
      `[oncall]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`,
    );
    // Only the shared files and the flag: no AWS_* variable points at the local stack.
    const profileEnv = {
      PATH: env.PATH ?? '',
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
    };
    const history = await rootkeeper(
      ['--profile', 'oncall', 'history', '--account', MEMBER, '-o', 'json'],
      profileEnv,
    );
    expect(history.code).toBe(0);
    expect(history.json<{ count: number }>().count).toBeGreaterThan(0);

    const typo = await rootkeeper(['--profile', 'oncal', 'history'], profileEnv);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--profile: no profile "oncal" in');
    expect(typo.stderr).toContain('(profiles: oncall)');
  }, 60_000);
});
