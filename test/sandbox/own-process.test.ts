/**
 * The sandbox in a process of its own (what the benchmark runs): reached by
 * the real SDK over loopback, read and steered over the admin API, stopped
 * on close.
 */
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { startSandboxProcess, type SandboxProcess } from '../../sandbox';
import { INVITED, MANAGEMENT, assumeRoot, clients, fixture } from './helpers';
import { isAlive } from '../support/process-alive';

describe('the sandbox in its own process', () => {
  let sandbox: SandboxProcess;
  beforeAll(async () => {
    sandbox = await startSandboxProcess({ organization: fixture() });
  });
  afterAll(() => sandbox.close());

  test('listens on loopback from another process, with the fixture organization', async () => {
    expect(sandbox.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.pid).not.toBe(process.pid);
    expect(isAlive(sandbox.pid)).toBe(true);
    expect(sandbox.managementAccountId).toBe(MANAGEMENT);
    const { Roots } = await clients(sandbox).organizations.send(new ListRootsCommand({}));
    expect(Roots).toHaveLength(1);
  });

  test('its state and counters read over the admin API follow the calls made', async () => {
    const before = await sandbox.metricsSummary();
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    await clients(sandbox, session).iam.send(new GetAccountSummaryCommand({}));
    const after = await sandbox.metricsSummary();
    expect((after.byAction['sts:AssumeRoot'] ?? 0) - (before.byAction['sts:AssumeRoot'] ?? 0)).toBe(1);
    expect(after.total - before.total).toBe(2);
    const state = await sandbox.state();
    expect(state.sessions.map((s) => s.accountId)).toContain(INVITED);
    const invited = state.accounts.find((account) => account.id === INVITED);
    expect(invited?.rootCredentials.loginProfile).toBeDefined();
  });

  test('faults set from the parent are injected by the sandbox process, and cleared', async () => {
    await sandbox.setFaults({ seed: 1, throttle: 1 });
    await expect(clients(sandbox).organizations.send(new ListRootsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    await sandbox.setFaults({});
    await expect(clients(sandbox).organizations.send(new ListRootsCommand({}))).resolves.toBeDefined();
  });

  test('a bad fault setting is refused with the field named', async () => {
    await expect(sandbox.setFaults({ throttle: 2 })).rejects.toThrow(/throttle must be a probability/);
  });
});

describe('starting and stopping a sandbox process', () => {
  test('a shared clock object cannot cross to another process: refused, naming clock', async () => {
    const clock = { now: () => 0, set: () => undefined, advance: () => undefined };
    await expect(startSandboxProcess({ clock })).rejects.toThrow(/^clock: /);
  });

  test('a sandbox that cannot start fails the start with its reason', async () => {
    const first = await startSandboxProcess({ organization: fixture() });
    try {
      await expect(startSandboxProcess({ organization: fixture(), port: first.port })).rejects.toThrow(
        /the sandbox process failed: .*EADDRINUSE/s,
      );
    } finally {
      await first.close();
    }
  });

  test('close stops the process', async () => {
    const sandbox = await startSandboxProcess({ organization: fixture() });
    expect(isAlive(sandbox.pid)).toBe(true);
    await sandbox.close();
    expect(isAlive(sandbox.pid)).toBe(false);
  });
});
