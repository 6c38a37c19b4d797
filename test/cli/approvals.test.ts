import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APPROVAL_STATE } from '../../lib/approvals/approval-event';
import { startLocalStack, type LocalStack } from '../../local/local-stack';
import {
  CLEAN,
  LOCKED_BUCKET,
  MANAGEMENT,
  MEMBER,
  ORIGINAL_POLICY,
  PROMPT_BUCKET,
  REGION,
  REPLACED_BUCKET,
  organization,
} from './support/local-organization';
import { cliEnvironment, rootkeeper, type CliRun, type RunDocument } from './support/subprocess';

/**
 * pending, approve and deny as real subprocesses against the local stack
 * with approvals on. Two people: the requester signs with the management
 * account's credentials, the approver with another IAM user's (the sandbox's
 * delegated administrator), so the identity each command uses is the one
 * sts:GetCallerIdentity answers for its own credentials.
 */

const APPROVER_ARN = `arn:aws:iam::${CLEAN}:user/sandbox-delegated-admin`;
const REQUESTER_ARN = `arn:aws:iam::${MANAGEMENT}:user/sandbox-admin`;

let stack: LocalStack;
let requester: Record<string, string>;
let approver: Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({
    sandbox: {
      organization: { ...organization(true), delegatedAdministrator: { accountId: CLEAN } },
      region: REGION,
    },
    config: {
      approvals: { unlockS3: true, unlockSqs: true, enableRecovery: true, deleteRootCredentials: true },
      approverPrincipals: [APPROVER_ARN],
    },
    retryDelayMs: 10,
  });
  requester = cliEnvironment(stack.env);
  const keys = stack.sandbox.delegatedAdministratorCredentials;
  if (keys === undefined) throw new Error('the sandbox has no second principal');
  approver = {
    ...requester,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
  };
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const bucketPolicy = (name: string) => stack.sandbox.state.bucket(name)?.policy;

interface PendingDocument {
  ok: boolean;
  pending: { run: string; requestedBy: string; plan: { currentPolicy: string; action: string } }[];
}

async function requestUnlock(bucket: string): Promise<string> {
  const started = await rootkeeper(
    [
      'unlock-s3',
      '--account',
      MEMBER,
      '--bucket',
      bucket,
      '--delete',
      '--reason',
      'locked out',
      '--yes',
      '--no-wait',
      '--output',
      'json',
    ],
    requester,
  );
  expect(started.code).toBe(0);
  const name = started.json<RunDocument>().execution.name;
  for (let i = 0; i < 200; i += 1) {
    const pending = await rootkeeper(['pending', '--output', 'json'], requester);
    if (pending.json<PendingDocument>().pending.some((request) => request.run === name)) return name;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} never asked for approval`);
}

async function historyOf(run: string): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 100; i += 1) {
    const history = await rootkeeper(['history', '--account', MEMBER, '--output', 'json'], requester);
    const runs = (history.json<{ runs: Record<string, unknown>[] }>().runs ?? []).filter((item) =>
      String(item.executionArn).endsWith(`:${run}`),
    );
    if (runs[0] !== undefined && runs[0].outcome !== undefined && runs[0].finishedAt !== undefined)
      return runs[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

describe('pending, approve, deny', () => {
  it('lists the waiting unlock with its plan; the requester cannot approve it; a second principal can', async () => {
    const run = await requestUnlock(LOCKED_BUCKET);
    const pending = await rootkeeper(['pending', '--output', 'json'], requester);
    expect(pending.code).toBe(0);
    expect(pending.json<PendingDocument>().pending.find((request) => request.run === run)).toMatchObject({
      requestedBy: REQUESTER_ARN,
      plan: { action: 'DELETE', currentPolicy: ORIGINAL_POLICY },
    });
    const human = await rootkeeper(['pending'], requester);
    expect(human.stdout).toContain(`rootkeeper approve ${run} --reason`);
    // Nothing changed while it waits.
    expect(bucketPolicy(LOCKED_BUCKET)).toBe(ORIGINAL_POLICY);

    const self = await rootkeeper(['approve', run, '--reason', 'looks fine', '--output', 'json'], requester);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain('a second person must decide');
    expect(bucketPolicy(LOCKED_BUCKET)).toBe(ORIGINAL_POLICY);

    const approved = await rootkeeper(
      ['approve', run, '--reason', 'checked with the owner', '--output', 'json'],
      approver,
    );
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.json()).toMatchObject({ ok: true, decision: 'APPROVED', by: APPROVER_ARN });

    const recorded = await historyOf(run);
    expect(recorded).toMatchObject({
      outcome: 'UNLOCKED',
      approval: { decision: 'APPROVED', by: APPROVER_ARN, reason: 'checked with the owner' },
    });
    expect(bucketPolicy(LOCKED_BUCKET)).toBeUndefined();

    const again = await rootkeeper(['approve', run, '--reason', 'once more', '--output', 'json'], approver);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not waiting for approval');
  });

  it('deny records DENIED with who and why and leaves the policy', async () => {
    const before = bucketPolicy(PROMPT_BUCKET);
    const run = await requestUnlock(PROMPT_BUCKET);
    const denied = await rootkeeper(['deny', run, '--reason', 'wrong bucket', '--output', 'json'], approver);
    expect(denied.code).toBe(0);
    expect(denied.json()).toMatchObject({ decision: 'DENIED', reason: 'wrong bucket' });
    const recorded = await historyOf(run);
    expect(recorded).toMatchObject({
      outcome: 'DENIED',
      approval: { decision: 'DENIED', by: APPROVER_ARN, reason: 'wrong bucket' },
    });
    expect(bucketPolicy(PROMPT_BUCKET)).toBe(before);
  });

  it('refuses bad usage with exit 2 and names the problem', async () => {
    const noReason = await rootkeeper(['approve', 'some-run', '--output', 'json'], approver);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    const unknown = await rootkeeper(['deny', 'no-such-run', '--reason', 'not this one'], approver);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no run no-such-run');
  });
});

/** Starts the command, approves its run once it waits for approval, and returns what it printed. */
async function approvedWhileWaiting(args: readonly string[]): Promise<{ run: string; result: CliRun }> {
  const child = rootkeeper(args, requester);
  let waiting: string | undefined;
  for (let i = 0; i < 300 && waiting === undefined; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pending = await rootkeeper(['pending', '--output', 'json'], requester);
    waiting = pending
      .json<PendingDocument>()
      .pending.map((request) => request.run)
      .find((run) => !approvedRuns.has(run));
  }
  if (waiting === undefined) throw new Error(`never asked for approval: ${args.join(' ')}`);
  approvedRuns.add(waiting);
  const approved = await rootkeeper(['approve', waiting, '--reason', 'plan checked'], approver);
  expect(approved.code).toBe(0);
  return { run: waiting, result: await child };
}
const approvedRuns = new Set<string>();

describe('the plan before the question, with approvals on', () => {
  it('an unlock prints the policy and its replacement (diff), then asks, then waits for approval', async () => {
    const replacement = String(bucketPolicy(REPLACED_BUCKET)).replace('"Deny"', '"Allow"');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rootkeeper-approval-plan-')), 'allow.json');
    writeFileSync(file, replacement);
    const { run, result } = await approvedWhileWaiting([
      'unlock-s3',
      '--account',
      MEMBER,
      '--bucket',
      REPLACED_BUCKET,
      '--replace-with',
      file,
      '--reason',
      'owner asked',
      '--yes',
    ]);
    expect(result.code).toBe(0);
    const planAt = result.stderr.indexOf('The bucket policy now (sha256 ');
    const approvalAt = result.stderr.indexOf('It waits for a second person to approve');
    const waitingAt = result.stderr.indexOf(`Unlock S3 bucket policy: ${APPROVAL_STATE}`);
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(result.stderr.slice(planAt, approvalAt)).toMatch(/^ {2}- {7}"Effect": "Deny",$/m);
    expect(result.stderr.slice(planAt, approvalAt)).toMatch(/^ {2}\+ {7}"Effect": "Allow",$/m);
    expect(approvalAt).toBeGreaterThan(planAt);
    expect(waitingAt).toBeGreaterThan(approvalAt);
    expect(result.stderr).toContain(`rootkeeper approve ${run} --reason`);
    expect(result.stdout).toMatch(/Unlock S3 bucket policy: UNLOCKED/);
    expect(result.stdout).toContain(`APPROVED by ${APPROVER_ARN}`);
    expect(bucketPolicy(REPLACED_BUCKET)).toBe(replacement);
  });

  it('a delete prints the credentials found, then asks, then waits for approval', async () => {
    const { result } = await approvedWhileWaiting([
      'delete-root-credentials',
      '--account',
      MEMBER,
      '--reason',
      'invited account',
      '--yes',
    ]);
    expect(result.code).toBe(0);
    const planAt = result.stderr.indexOf(`Root credentials found in account ${MEMBER}, to be deleted:`);
    const approvalAt = result.stderr.indexOf('It waits for a second person to approve');
    const waitingAt = result.stderr.indexOf(`Delete root credentials: ${APPROVAL_STATE}`);
    expect(planAt).toBeGreaterThanOrEqual(0);
    expect(result.stderr.slice(planAt, approvalAt)).toContain('access key AKIAROOTKEY000000001');
    expect(approvalAt).toBeGreaterThan(planAt);
    expect(waitingAt).toBeGreaterThan(approvalAt);
    expect(result.stdout).toMatch(/Delete root credentials: REMEDIATED/);
    expect(result.stdout).toContain(`APPROVED by ${APPROVER_ARN}`);
  });
});

describe('guardrails', () => {
  it('prints the two SCPs, validated, naming the roles of the local stack', async () => {
    const printed = await rootkeeper(['guardrails', '--output', 'json'], requester);
    expect(printed.code).toBe(0);
    const { policies } = printed.json<{ policies: { name: string; document: { Statement: unknown[] } }[] }>();
    expect(policies.map((policy) => policy.name)).toEqual([
      'rootkeeper-deny-long-term-root',
      'rootkeeper-only-rootkeeper-assumes-root',
    ]);
    expect(JSON.stringify(policies[1])).toContain(
      `arn:aws:iam::${MANAGEMENT}:role/Rootkeeper-FunctionsDeleteRootCredentials*`,
    );
    expect(JSON.stringify(policies[1])).toContain('IAMDeleteRootUserCredentials');
  });
});
