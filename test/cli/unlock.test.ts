import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalStack } from '../../local/local-stack';
import {
  CLEAN,
  LOCKED_BUCKET,
  LOCKED_QUEUE,
  MANAGEMENT,
  MEMBER,
  ORIGINAL_POLICY,
  PROMPT_BUCKET,
  PROTECTED,
  PROTECTED_BUCKET,
  queueUrl,
  REGION,
  REPLACED_BUCKET,
  RETRIED_BUCKET,
  UNKNOWN,
} from './support/local-organization';
import { rootkeeper, rootkeeperOnTerminal, type RunDocument } from './support/subprocess';
import { worldSnapshot } from './support/world-snapshot';
import { startCliStack } from './support/cli-stack';

/**
 * unlock-s3, unlock-sqs and restore-policy as real subprocesses
 * (`node bin/rootkeeper.js`) against the local stack: the sandbox
 * organization, dynalite, the synthesized workflows. Each error path checks
 * its exit code, that the message names the problem, and that the sandbox
 * did not change.
 */

let stack: LocalStack;
let env: Record<string, string>;
const scratch = mkdtempSync(path.join(tmpdir(), 'rootkeeper-policies-'));

beforeAll(async () => {
  ({ stack, env } = await startCliStack());
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const bucketPolicy = (name: string) => stack.sandbox.state.bucket(name)?.policy;
const queuePolicy = (name: string) => stack.sandbox.state.queue(MEMBER, name, REGION)?.attributes.Policy;
const reason = ['--reason', 'policy denies everyone', '--ticket', 'INC-42'];

describe('unlock-s3 and restore-policy', () => {
  let deleteBackupId: string | undefined;

  it('deletes the policy, backs it up and prints the run (human output)', async () => {
    const unlock = await rootkeeper(
      ['unlock-s3', '--account', MEMBER, '--bucket', LOCKED_BUCKET, '--delete', ...reason, '--yes'],
      env,
    );
    expect(unlock.stderr).toMatch(/^Unlock S3 bucket policy:\n\s+account\s+111100000001/m);
    expect(unlock.stderr).not.toContain('error');
    expect(unlock.code).toBe(0);
    expect(unlock.stdout).toMatch(/Unlock S3 bucket policy: UNLOCKED/);
    expect(unlock.stdout).toContain('policy denies everyone');
    expect(bucketPolicy(LOCKED_BUCKET)).toBeUndefined();
    deleteBackupId = /restore-policy --backup (\S+)/.exec(unlock.stdout)?.[1];
    expect(deleteBackupId).toMatch(/^unlock-s3-111100000001-[0-9a-f]{20}-\d{8}T\d{6}Z$/);
  });

  it('replaces the policy with a file; restore-policy puts the original back byte for byte', async () => {
    const original = bucketPolicy(REPLACED_BUCKET);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${MEMBER}:root` },
          Action: 's3:*',
          Resource: `arn:aws:s3:::${REPLACED_BUCKET}/*`,
        },
      ],
    });
    const file = path.join(scratch, 'fixed.json');
    writeFileSync(file, policy);
    const replaced = await rootkeeper(
      [
        'unlock-s3',
        '--account',
        MEMBER,
        '--bucket',
        REPLACED_BUCKET,
        '--replace-with',
        file,
        ...reason,
        '--yes',
        '-o',
        'json',
      ],
      env,
    );
    expect(replaced.code).toBe(0);
    const document = replaced.json<RunDocument>();
    expect(document).toMatchObject({
      ok: true,
      outcome: 'UNLOCKED',
      run: { accountId: MEMBER, requestedBy: expect.stringContaining(MANAGEMENT) as string },
    });
    expect(document.backup?.backupId).toBe(document.execution.name);
    expect(bucketPolicy(REPLACED_BUCKET)).toBe(policy);

    const restore = await rootkeeper(
      [
        'restore-policy',
        '--backup',
        document.execution.name,
        '--reason',
        'put it back',
        '--yes',
        '-o',
        'json',
      ],
      env,
    );
    expect(restore.code).toBe(0);
    expect(restore.json<RunDocument>()).toMatchObject({ ok: true, outcome: 'RESTORED' });
    expect(bucketPolicy(REPLACED_BUCKET)).toBe(original);
  });

  // The bucket has no policy after the delete: the workflow applies the
  // REPLACE directly (nothing to back up, expecting still no policy).
  it('restore-policy after a delete puts the policy back', async () => {
    const restore = await rootkeeper(
      ['restore-policy', '--backup', deleteBackupId ?? '', '--reason', 'put it back', '--yes', '-o', 'json'],
      env,
    );
    expect(restore.stderr).not.toContain('nothing was applied');
    expect(restore.code).toBe(0);
    expect(restore.json<RunDocument>()).toMatchObject({ ok: true, outcome: 'RESTORED' });
    expect(bucketPolicy(LOCKED_BUCKET)).toBe(ORIGINAL_POLICY);
  });

  it('a retried command reports the first execution instead of starting a second', async () => {
    const args = [
      'unlock-s3',
      '--account',
      MEMBER,
      '--bucket',
      RETRIED_BUCKET,
      '--delete',
      ...reason,
      '--yes',
      '--output',
      'json',
    ];
    const first = (await rootkeeper(args, env)).json<RunDocument>();
    const retry = await rootkeeper(args, env);
    expect(retry.code).toBe(0);
    const second = retry.json<RunDocument>();
    expect(second).toMatchObject({ alreadyRan: true, outcome: 'UNLOCKED' });
    expect(second.execution).toMatchObject({ name: first.execution.name, arn: first.execution.arn });
    const machine = stack.outputs.UnlockS3BucketPolicyStateMachineArn ?? '';
    const executions = stack.stepFunctions
      .listExecutions({ stateMachineArn: machine })
      .filter((execution) => execution.name === first.execution.name);
    expect(executions).toHaveLength(1);
  });

  const world = () => worldSnapshot(stack, { policy: () => bucketPolicy(PROMPT_BUCKET) });

  it.each([
    ['an invalid bucket name', ['--bucket', 'Not_A_Bucket', '--delete', ...reason, '--yes'], /--bucket: /],
    ['a missing --reason', ['--bucket', PROMPT_BUCKET, '--delete', '--yes'], /--reason: is required/],
  ])('refuses %s with exit 2 and changes nothing', async (_case, args, message) => {
    const before = world();
    const result = await rootkeeper(['unlock-s3', '--account', MEMBER, ...args], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    // The policy reads the same, no run was started, no changing call reached the sandbox.
    expect(before.resources.policy).toEqual(expect.any(String));
    expect(world()).toEqual(before);
  });

  it('refuses no terminal and no --yes with exit 2 before any plan is read, and changes nothing', async () => {
    const before = world();
    const result = await rootkeeper(
      ['unlock-s3', '--account', MEMBER, '--bucket', PROMPT_BUCKET, '--delete', ...reason],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--yes: stdin is not a terminal/);
    // Refused before the plan would be read: no run at all, not even a dry run (no root session).
    await stack.stepFunctions.waitForIdle();
    expect(world()).toEqual(before);
  });

  it('refuses an invalid replacement policy with exit 2 naming --replace-with', async () => {
    const file = path.join(scratch, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }),
    );
    const before = bucketPolicy(PROMPT_BUCKET);
    const result = await rootkeeper(
      [
        'unlock-s3',
        '--account',
        MEMBER,
        '--bucket',
        PROMPT_BUCKET,
        '--replace-with',
        file,
        ...reason,
        '--yes',
        '-o',
        'json',
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.json()).toMatchObject({ ok: false, error: { kind: 'usage', flag: '--replace-with' } });
    expect(bucketPolicy(PROMPT_BUCKET)).toBe(before);
  });

  it.each([
    ['an unknown account', UNKNOWN, 'NOT_A_MEMBER'],
    ['the management account', MANAGEMENT, 'MANAGEMENT_ACCOUNT'],
    ['a protected account', PROTECTED, 'PROTECTED_ACCOUNT'],
  ])('records %s as SKIPPED, exits 1 with the reason and changes nothing', async (_case, account, why) => {
    const bucket = account === PROTECTED ? PROTECTED_BUCKET : LOCKED_BUCKET;
    const before = bucketPolicy(bucket);
    const result = await rootkeeper(
      ['unlock-s3', '--account', account, '--bucket', bucket, '--delete', ...reason, '--yes', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(1);
    const document = result.json<RunDocument>();
    expect(document).toMatchObject({ ok: false, outcome: 'SKIPPED' });
    expect(document.error).toMatchObject({ name: why, advice: expect.any(String) as string });
    expect(result.stderr).toContain(why);
    expect(bucketPolicy(bucket)).toBe(before);
  });

  it('a "no" at the terminal prompt changes nothing', async () => {
    const before = bucketPolicy(PROMPT_BUCKET);
    const result = await rootkeeperOnTerminal(
      ['unlock-s3', '--account', MEMBER, '--bucket', PROMPT_BUCKET, '--delete', ...reason],
      env,
      /go ahead\?/,
      'n\r',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing done');
    expect(bucketPolicy(PROMPT_BUCKET)).toBe(before);
  });
});

describe('unlock-sqs', () => {
  it('removes the queue policy', async () => {
    const result = await rootkeeper(
      [
        'unlock-sqs',
        '--account',
        MEMBER,
        '--queue-url',
        queueUrl(MEMBER, LOCKED_QUEUE),
        '--delete',
        ...reason,
        '--yes',
        '-o',
        'json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.json<RunDocument>()).toMatchObject({ ok: true, outcome: 'UNLOCKED' });
    expect(queuePolicy(LOCKED_QUEUE) ?? '').toBe('');
  });

  it('takes the queue ARN where the URL is, converted to the URL of its endpoint', async () => {
    const arn = `arn:aws:sqs:${REGION}:${MEMBER}:${LOCKED_QUEUE}`;
    const args = ['unlock-sqs', '--account', MEMBER, '--queue-url', arn, '--delete'];
    const result = await rootkeeper([...args, '--reason', 'given as an ARN', '--yes', '-o', 'json'], env);
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ target: queueUrl(MEMBER, LOCKED_QUEUE) });
    const wrong = await rootkeeper(
      [...args.slice(0, 4), `${arn.replace(':sqs:', ':sns:')}`, '--delete', ...reason, '--yes'],
      env,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--queue-url: "arn:aws:sns:');
  });

  it('refuses a queue URL of another account with exit 2 naming --queue-url', async () => {
    const result = await rootkeeper(
      [
        'unlock-sqs',
        '--account',
        CLEAN,
        '--queue-url',
        queueUrl(MEMBER, LOCKED_QUEUE),
        '--delete',
        ...reason,
        '--yes',
      ],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--queue-url: belongs to account ${MEMBER}, not to the target account ${CLEAN}`,
    );
  });
});
