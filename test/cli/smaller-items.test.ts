import type { LocalStack } from '../../local/local-stack';
import { DRY_RUN_REASON } from '../../cli/commands/delete-root-credentials';
import { CLEAN, MEMBER } from './support/local-organization';
import { rootkeeper, type RunDocument } from './support/subprocess';
import { startCliStack } from './support/cli-stack';

/**
 * The smaller on-call papercuts, as subprocesses against the local stack:
 * a dry run needs no reason; account recovery prints its action, not an
 * empty table; `audit --all` shows its progress in accounts and its counts
 * first (one row per account with --wide); after --timeout no earlier
 * audit's postures are printed under RUNNING.
 */

let stack: LocalStack;
let env: Record<string, string>;

beforeAll(async () => {
  ({ stack, env } = await startCliStack());
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('delete-root-credentials --dry-run', () => {
  it('needs no --reason: it changes nothing, and the run records that it was a dry run', async () => {
    const result = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, '--dry-run', '-o', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.json<RunDocument>()).toMatchObject({ outcome: 'PLANNED', run: { reason: DRY_RUN_REASON } });
    expect(stack.sandbox.state.account(MEMBER).rootCredentials.loginProfile).toBeDefined();
    const human = await rootkeeper(
      ['delete-root-credentials', '--account', MEMBER, '--dry-run', '--again'],
      env,
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^DeleteLoginProfile\s+PLANNED$/m);
  });
});

describe('enable-recovery', () => {
  it('prints the action it took, not an empty table', async () => {
    const result = await rootkeeper(
      ['enable-recovery', '--account', CLEAN, '--reason', 'account closure needs root', '--yes'],
      env,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^action\s+target\s+result$/m);
    expect(result.stdout).toMatch(/^CreateLoginProfile\s+DONE$/m);
  });
});

describe('audit --all', () => {
  it('shows progress in accounts, then the counts first; one row per account only with --wide', async () => {
    const summary = await rootkeeper(['audit', '--all'], env);
    expect(summary.code).toBe(0);
    expect(summary.stderr).toMatch(
      /^Audit organization: \d+ accounts audited: \d+ clean, \d+ with root credentials, \d+ failed \(\d+ shards counted\)$/m,
    );
    expect(summary.stdout).toMatch(/^\d+ account\(s\) recorded, \d+ with root credentials$/m);
    expect(summary.stdout).toContain('one row per account: add --wide');
    expect(summary.stdout).not.toContain(CLEAN);

    const wide = await rootkeeper(['audit', '--all', '--wide'], env);
    expect(wide.code).toBe(0);
    const countsAt = wide.stdout.search(/\d+ account\(s\) recorded/);
    expect(countsAt).toBeGreaterThanOrEqual(0);
    expect(wide.stdout.indexOf(CLEAN, countsAt)).toBeGreaterThan(countsAt);
  }, 120_000);

  it('still running at --timeout: no posture table of an earlier audit under RUNNING', async () => {
    const result = await rootkeeper(['audit', '--all', '--timeout', '1s', '-o', 'json'], env);
    expect(result.code).toBe(1);
    const document = result.json<RunDocument & { postures?: unknown }>();
    expect(document.error?.name).toBe('StillRunning');
    expect(document.postures).toBeUndefined();
    const human = await rootkeeper(['audit', '--all', '--timeout', '1s'], env);
    expect(human.stdout).toContain('still RUNNING after 1s');
    expect(human.stdout).not.toMatch(/account\(s\) recorded/);
  }, 120_000);
});
