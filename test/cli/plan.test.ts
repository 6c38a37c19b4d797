import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalStack } from '../../local/local-stack';
import { CLEAN, MEMBER, organization, REGION } from './support/local-organization';
import { rootkeeper, rootkeeperOnTerminal } from './support/subprocess';
import { startCliStack } from './support/cli-stack';

/**
 * The plan before the question, as real subprocesses against the local
 * stack: an unlock shows the policy as read now and what it becomes (a
 * diff), a delete shows the root credentials found, both read by the
 * workflow's dry run before anything is asked; --yes skips the question,
 * never the plan (human and JSON); a policy changed while the engineer reads
 * the plan is refused.
 */

const PLAN_BUCKET = 'plan-bucket';
const CHANGED_BUCKET = 'changed-bucket';
const OTHER_BUCKET = 'other-account-bucket';
const deny = (name: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenyAll', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${name}/*` },
    ],
  });

let stack: LocalStack;
let env: Record<string, string>;
const scratch = mkdtempSync(path.join(tmpdir(), 'rootkeeper-plan-'));

beforeAll(async () => {
  const fixture = organization(true);
  const member = fixture.accounts?.find((account) => account.id === MEMBER);
  member?.buckets?.push(
    ...[PLAN_BUCKET, CHANGED_BUCKET].map((name) => ({ name, region: REGION, policy: deny(name) })),
  );
  const clean = fixture.accounts?.find((account) => account.id === CLEAN);
  if (clean !== undefined && clean.buckets === undefined)
    clean.buckets = [{ name: OTHER_BUCKET, region: REGION, policy: deny(OTHER_BUCKET) }];
  ({ stack, env } = await startCliStack({ organization: fixture }));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const policyOf = (name: string) => stack.sandbox.state.bucket(name)?.policy;
const reason = ['--reason', 'policy denies everyone'];

interface PlanDocument {
  ok: boolean;
  outcome: string | null;
  plan?: {
    currentPolicy?: string | null;
    currentPolicySha256?: string | null;
    replacementPolicy?: string | null;
    diff?: string[];
    credentials?: { action: string; target: string | null }[];
    credentialsDigest?: string | null;
  };
  error?: { name: string } | null;
}

describe('an unlock shows the policy and its replacement before asking', () => {
  it('--replace-with: the diff is printed before the run, even with --yes (human output)', async () => {
    const file = path.join(scratch, 'allow.json');
    const replacement = deny(PLAN_BUCKET).replace('"Deny"', '"Allow"').replace('"*"', `{"AWS":"${MEMBER}"}`);
    writeFileSync(file, replacement);
    const result = await rootkeeper(
      ['unlock-s3', '--account', MEMBER, '--bucket', PLAN_BUCKET, '--replace-with', file, ...reason, '--yes'],
      env,
    );
    expect(result.code).toBe(0);
    const planAt = result.stderr.indexOf('The bucket policy now (sha256 ');
    // The run's progress lines ("Unlock S3 bucket policy: <state>") follow the plan; which state a
    // poll catches depends on timing, so any of them marks the start of the run.
    const runAt = result.stderr.indexOf('\nUnlock S3 bucket policy: ', planAt);
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(result.stderr.indexOf('\nUnlock S3 bucket policy: ')).toBe(runAt);
    expect(runAt).toBeGreaterThan(planAt);
    const plan = result.stderr.slice(planAt, runAt);
    expect(plan).toMatch(/^ {2}- {7}"Effect": "Deny",$/m);
    expect(plan).toMatch(/^ {2}\+ {7}"Effect": "Allow",$/m);
    expect(plan).toMatch(/^ {2}- {7}"Principal": "\*",$/m);
    expect(plan).toMatch(/^ {10}"Sid": "DenyAll",$/m);
    expect(result.stdout).toMatch(/Unlock S3 bucket policy: UNLOCKED/);
    expect(policyOf(PLAN_BUCKET)).toBe(replacement);
  });

  it('--output json carries the plan: the policy read, its digest, the replacement and the diff', async () => {
    const file = path.join(scratch, 'back.json');
    writeFileSync(file, deny(PLAN_BUCKET));
    const current = policyOf(PLAN_BUCKET);
    const result = await rootkeeper(
      [
        'unlock-s3',
        '--account',
        MEMBER,
        '--bucket',
        PLAN_BUCKET,
        '--replace-with',
        file,
        ...reason,
        '--yes',
        '-o',
        'json',
      ],
      env,
    );
    expect(result.code).toBe(0);
    const document = result.json<PlanDocument>();
    expect(document).toMatchObject({
      ok: true,
      outcome: 'UNLOCKED',
      plan: { currentPolicy: current, replacementPolicy: deny(PLAN_BUCKET) },
    });
    expect(document.plan?.currentPolicySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(document.plan?.diff).toEqual(
      expect.arrayContaining(['-       "Effect": "Allow",', '+       "Effect": "Deny",']),
    );
  });

  it('a policy changed while the engineer reads the plan is refused: nothing changed', async () => {
    // Another engineer replaces the policy while this one reads the plan at the prompt.
    const changed = deny(CHANGED_BUCKET).replace('DenyAll', 'DenyEveryone');
    const file = path.join(scratch, 'changed.json');
    writeFileSync(file, changed);
    const result = await rootkeeperOnTerminal(
      ['unlock-s3', '--account', MEMBER, '--bucket', CHANGED_BUCKET, '--delete', ...reason],
      env,
      /go ahead\?/,
      'y\r',
      async () => {
        const other = await rootkeeper(
          ['unlock-s3', '--account', MEMBER, '--bucket', CHANGED_BUCKET, '--replace-with', file].concat([
            '--reason',
            'another engineer',
            '--yes',
          ]),
          env,
        );
        expect(other.code).toBe(0);
        expect(policyOf(CHANGED_BUCKET)).toBe(changed);
      },
    );
    // The plan was on the screen before the question.
    const planAt = result.stdout.indexOf('all of it is deleted');
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(planAt).toBeLessThan(result.stdout.indexOf('go ahead?'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('PolicyChangedSincePlanError');
    expect(result.stdout).toMatch(/what to do: .*look at the plan again/);
    expect(policyOf(CHANGED_BUCKET)).toBe(changed);
  }, 120_000);

  it('a plan that cannot be read stops before the question: the failure in plain words, nothing asked', async () => {
    const result = await rootkeeper(
      ['unlock-s3', '--account', MEMBER, '--bucket', OTHER_BUCKET, '--delete', ...reason, '--yes'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /Unlock S3 bucket policy \(reading the plan\): FAILED for bucket other-account-bucket/,
    );
    expect(result.stdout).toContain('WrongAccountError');
    expect(result.stderr).not.toContain('run id');
    expect(policyOf(OTHER_BUCKET)).toBe(deny(OTHER_BUCKET));
  });
});

describe('a delete shows the root credentials found before asking', () => {
  it('lists them before the run, with --yes (human), and deletes them', async () => {
    const result = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, ...reason, '--yes'],
      env,
    );
    expect(result.code).toBe(0);
    const planAt = result.stderr.indexOf(`Root credentials found in account ${MEMBER}, to be deleted:`);
    expect(planAt).toBeGreaterThanOrEqual(0);
    const plan = result.stderr.slice(planAt);
    expect(plan).toContain('- password (console sign-in)');
    expect(plan).toContain('- access key AKIAROOTKEY000000001');
    expect(result.stdout).toMatch(/Delete root credentials: REMEDIATED/);
  });

  it('--output json carries the credentials found and their fingerprint; none left means nothing to delete', async () => {
    const result = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, ...reason, '--again', '--yes', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    const document = result.json<PlanDocument>();
    expect(document).toMatchObject({ ok: true, outcome: 'CLEAN', plan: { credentials: [] } });
    expect(document.plan?.credentialsDigest).toMatch(/^[0-9a-f]{64}$/);
    const human = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, '--reason', 'check once more', '--yes'],
      env,
    );
    expect(human.stderr).toContain(`No root credentials found in account ${MEMBER}: nothing to delete.`);
  });
});
