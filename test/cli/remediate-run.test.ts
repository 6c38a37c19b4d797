import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/local-stack';
import type { AccountFixture, OrganizationFixture } from '../../sandbox';
import { cliEnvironment, rootkeeper } from './support/subprocess';
import { statusSchemaErrors } from './support/schema';

/**
 * `remediate --execute`, `--status` and `--continue` as users run them: the
 * command line in a subprocess against the local stack (approvals off: the
 * requester gives the go-ahead, through the Decide approval function's URL,
 * signed with the sandbox user's keys).
 */

const MANAGEMENT = '999900000000';
const SIMPLE = ['333300000001', '333300000002', '333300000003'];
const KEY_IN_USE = '333300000010';
const USED_KEY = 'AKIAUSEDBYAJOB000010';
const REGION = 'us-east-1';

function organization(): OrganizationFixture {
  const accounts: AccountFixture[] = [
    ...SIMPLE.map((id) => ({ id, name: `simple-${id}`, rootCredentials: { loginProfile: true } })),
    {
      id: KEY_IN_USE,
      name: 'forgotten-job',
      rootCredentials: {
        loginProfile: true,
        accessKeys: [
          { accessKeyId: USED_KEY, lastUsed: { daysAgo: 3, serviceName: 'cloudformation', region: REGION } },
        ],
      },
    },
  ];
  return {
    managementAccount: { id: MANAGEMENT, name: 'management' },
    features: { rootCredentialsManagement: true, rootSessions: true },
    trustedAccess: ['iam.amazonaws.com'],
    accounts,
  };
}

interface StatusDocument {
  readonly ok: boolean;
  readonly run: string;
  readonly state: string;
  readonly reason?: string;
  readonly totals: { accounts: number; done: number; skipped: number; failed: number; notReached: number };
  readonly waves: { number: number; kind: string; accounts: number; done: string[]; notReached: string[] }[];
  readonly goAheads: string[];
}

let stack: LocalStack;
let env: Record<string, string>;
const folder = mkdtempSync(path.join(tmpdir(), 'rootkeeper-plans-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const why = ['--reason', 'roll out centralized root access', '--ticket', 'CHG-16'];

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

async function savedPlan(name: string, args: string[]): Promise<string> {
  const result = await rootkeeper(['remediate', ...args, '--plan', '--output', 'json'], env);
  expect(result.code).toBe(0);
  const file = path.join(folder, `${name}.json`);
  writeFileSync(file, result.stdout);
  return file;
}

async function status(run: string): Promise<StatusDocument> {
  const result = await rootkeeper(['remediate', '--status', run, '--output', 'json'], env);
  expect(`${result.code} ${result.stderr}`).toBe('0 ');
  const document = JSON.parse(result.stdout) as unknown;
  // Every status a script reads follows docs/remediation-status.schema.json.
  expect(statusSchemaErrors(document)).toEqual([]);
  return document as StatusDocument;
}

async function statusOnceIn(run: string, states: string[]): Promise<StatusDocument> {
  for (let i = 0; i < 200; i += 1) {
    const document = await status(run);
    if (states.includes(document.state)) return document;
    await sleep(150);
  }
  throw new Error(`${run} never reached ${states.join(' or ')}`);
}

const rootOf = (id: string) => stack.sandbox.state.account(id).rootCredentials;

describe('remediate --execute, --status, --continue', () => {
  it('runs the canary, shows the progress by wave, takes the go-ahead, then finishes; JSON and human output', async () => {
    const file = await savedPlan('simple', [
      '--account',
      ...SIMPLE,
      '--canary',
      '1',
      '--wave-percent',
      '100',
    ]);
    const started = await rootkeeper(
      ['remediate', '--execute', file, '--yes', ...why, '--output', 'json'],
      env,
    );
    expect(`${started.code} ${started.stderr}`).toBe('0 ');
    const document = JSON.parse(started.stdout) as {
      ok: boolean;
      execution: { name: string; status: string };
      accountsSaved: number;
      waves: number;
    };
    expect(document).toMatchObject({
      ok: true,
      accountsSaved: 3,
      waves: 2,
      execution: { status: 'RUNNING' },
    });
    const run = document.execution.name;

    const waiting = await statusOnceIn(run, ['WAITING_FOR_GO_AHEAD']);
    expect(waiting.waves.map((wave) => [wave.number, wave.kind, wave.accounts, wave.done.length])).toEqual([
      [1, 'canary', 1, 1],
      [2, 'rollout', 2, 0],
    ]);
    expect(waiting.totals).toMatchObject({ accounts: 3, done: 1, notReached: 2 });
    expect(rootOf(SIMPLE[1] as string).loginProfile).toBeDefined();

    const human = await rootkeeper(['remediate', '--status', run], { ...env, COLUMNS: '100' });
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toBe(`${run}: WAITING_FOR_GO_AHEAD`);
    expect(lines[1]).toMatch(/^wave +kind +accounts +done +skipped +failed +not reached +keys kept$/);
    expect(lines.slice(2, 4).map((line) => line.trim().split(/ {2,}/))).toEqual([
      ['1', 'canary', '1', '1', '0', '0', '0', '0'],
      ['2', 'rollout', '2', '0', '0', '0', '2', '0'],
    ]);
    expect(human.stdout).toContain(
      'total: 3 accounts, 1 done, 0 skipped, 0 failed, 2 not reached, 0 with keys in use kept',
    );
    expect(human.stdout).toContain(`Next: rootkeeper remediate --continue ${run} --reason "<why>"`);

    const given = await rootkeeper(
      ['remediate', '--continue', run, '--reason', 'canary checked', '--output', 'json'],
      env,
    );
    expect(`${given.code} ${given.stderr}`).toBe('0 ');
    expect(JSON.parse(given.stdout)).toMatchObject({
      ok: true,
      run,
      goAhead: {
        wave: 2,
        reason: 'canary checked',
        by: expect.stringContaining(`:${MANAGEMENT}:`) as string,
      },
    });

    const done = await statusOnceIn(run, ['COMPLETED', 'STOPPED', 'FAILED']);
    expect(done).toMatchObject({ state: 'COMPLETED', totals: { done: 3, notReached: 0 } });
    expect(done.goAheads).toEqual([
      expect.stringMatching(/ go-ahead: wave 2 by arn:aws:.* \(canary checked\)$/),
    ]);
    for (const id of SIMPLE) expect(rootOf(id).loginProfile).toBeUndefined();
    const finished = await rootkeeper(['remediate', '--status', run], env);
    expect(finished.stdout.split('\n')[0]).toBe(`${run}: COMPLETED (every wave ran)`);
    expect(finished.stdout).not.toContain('Next:');

    const again = await rootkeeper(['remediate', '--continue', run], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not waiting for a go-ahead');
  });

  it('asks a second confirmation for a plan that deletes keys in use: --yes alone is refused, nothing started', async () => {
    const file = await savedPlan('keys', ['--account', KEY_IN_USE, '--include-keys-in-use', '--canary', '0']);
    const refused = await rootkeeper(['remediate', '--execute', file, '--yes', ...why], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--confirm-keys-in-use 1');
    expect(refused.stderr).toContain(`deletes 1 root access key(s) in use: ${USED_KEY}`);
    const wrong = await rootkeeper(
      ['remediate', '--execute', file, '--yes', '--confirm-keys-in-use', '2', ...why],
      env,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('must repeat the number of keys in use the plan deletes, 1, got "2"');
    expect(rootOf(KEY_IN_USE).accessKeys).toHaveLength(1);

    // Approvals off: the requester's own confirmation is what lets the key go.
    const started = await rootkeeper(
      ['remediate', '--execute', file, '--yes', '--confirm-keys-in-use', '1', ...why, '--output', 'json'],
      env,
    );
    expect(`${started.code} ${started.stderr}`).toBe('0 ');
    const run = (JSON.parse(started.stdout) as { execution: { name: string } }).execution.name;
    const done = await statusOnceIn(run, ['COMPLETED', 'STOPPED', 'FAILED']);
    expect(done).toMatchObject({ state: 'COMPLETED', totals: { done: 1 } });
    expect(rootOf(KEY_IN_USE).accessKeys ?? []).toHaveLength(0);
  });

  it('names the run that does not exist', async () => {
    const result = await rootkeeper(['remediate', '--status', 'no-such-run'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no Remediate organization run no-such-run');
  });
});
