/**
 * The admin HTTP API (/__sandbox/), driven with plain fetch as any non-TypeScript client would:
 * clock, state without secrets, call counts, and latency/quotas/faults changed at run time.
 */
import { GetAccountSummaryCommand } from '@aws-sdk/client-iam';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import type { Sandbox } from '../../sandbox';
import { INVITED, assumeRoot, clients, startTestSandbox } from './helpers';

describe('sandbox admin API', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await startTestSandbox();
  });
  afterEach(() => sandbox.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sandbox.adminUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('advancing the clock expires a root session (ExpiredToken)', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    const iam = clients(sandbox, session).iam;
    await expect(iam.send(new GetAccountSummaryCommand({}))).resolves.toBeDefined();
    const before = Date.parse(String((await admin('GET', 'clock')).body.now));
    const moved = await admin('POST', 'clock', { advanceSeconds: 901 });
    expect(Date.parse(String(moved.body.now)) - before).toBeGreaterThanOrEqual(901_000);
    await expect(iam.send(new GetAccountSummaryCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
  });

  test('the state snapshot shows accounts and sessions but no secret', async () => {
    const session = await assumeRoot(sandbox, INVITED, 'IAMAuditRootUserCredentials');
    const { status, body } = await admin('GET', 'state');
    expect(status).toBe(200);
    expect((body.accounts as { id: string }[]).map((a) => a.id)).toContain(INVITED);
    expect(body.sessions).toEqual([
      expect.objectContaining({ accessKeyId: session.accessKeyId, accountId: INVITED }),
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toContain(session.secretAccessKey);
    expect(text).not.toContain(session.sessionToken);
    expect(text).not.toContain(sandbox.managementCredentials.secretAccessKey);
  });

  test('call counts, and reset', async () => {
    await clients(sandbox).organizations.send(new ListRootsCommand({}));
    const { body } = await admin('GET', 'metrics');
    expect(body.summary).toMatchObject({ total: 1, ok: 1, byAction: { 'organizations:ListRoots': 1 } });
    await admin('POST', 'metrics/reset');
    expect((await admin('GET', 'metrics')).body.summary).toMatchObject({ total: 0 });
  });

  test('faults changed at run time throttle the next calls, then stop', async () => {
    const organizations = clients(sandbox).organizations;
    expect((await admin('PUT', 'faults', { throttle: { organizations: 1 } })).status).toBe(200);
    await expect(organizations.send(new ListRootsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    await admin('PUT', 'faults', {});
    await expect(organizations.send(new ListRootsCommand({}))).resolves.toBeDefined();
    expect(sandbox.metrics.count({ outcome: 'throttled', cause: 'injected' })).toBe(1);
  });

  test('latency and quotas changed at run time', async () => {
    await admin('PUT', 'latency', { fixedMs: 150 });
    const started = Date.now();
    await clients(sandbox).organizations.send(new ListRootsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await admin('PUT', 'latency', {});
    await admin('PUT', 'quotas', { organizations: { ratePerSecond: 0.001, burst: 1 } });
    const organizations = clients(sandbox).organizations;
    await organizations.send(new ListRootsCommand({}));
    await expect(organizations.send(new ListRootsCommand({}))).rejects.toMatchObject({
      name: 'TooManyRequestsException',
    });
    expect((await admin('GET', 'load')).body).toMatchObject({
      quotas: { organizations: { ratePerSecond: 0.001 } },
    });
  });

  test('bad input is a 400 naming the field and changes nothing; unknown routes are 404', async () => {
    const before = (await admin('GET', 'clock')).body.now;
    expect(await admin('POST', 'clock', { advanceSeconds: 'soon' })).toEqual({
      status: 400,
      body: { error: 'advanceSeconds must be a finite number' },
    });
    expect(
      Date.parse(String((await admin('GET', 'clock')).body.now)) - Date.parse(String(before)),
    ).toBeLessThan(5_000);
    expect((await admin('PUT', 'faults', { throttle: 2 })).body).toEqual({
      error: 'throttle must be a probability between 0 and 1',
    });
    expect((await admin('GET', 'nothing')).status).toBe(404);
  });
});
