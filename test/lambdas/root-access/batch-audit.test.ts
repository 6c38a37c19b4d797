import { auditAccountBatch, type AccountAudit } from '../../../lambdas/root-access/batch-audit';
import { RootAccessDeniedError, ThrottledError } from '../../../lambdas/root-access/errors';

interface TestPosture {
  readonly credentialsPresent: boolean;
}

const CLEAN_A = '100000000001';
const CLEAN_B = '100000000002';
const DIRTY = '100000000003';
const KNOWN_DIRTY = '100000000004';
const ALL = [CLEAN_A, CLEAN_B, DIRTY, KNOWN_DIRTY];

function fakeAudit(failures: Record<string, Error[]> = {}) {
  const calls: string[] = [];
  const audit = async (accountId: string): Promise<AccountAudit<TestPosture>> => {
    calls.push(accountId);
    await Promise.resolve();
    const failure = failures[accountId]?.shift();
    if (failure !== undefined) throw failure;
    return {
      posture: { credentialsPresent: accountId === DIRTY || accountId === KNOWN_DIRTY },
      sessionAccessKeyId: `ASIA${accountId}`,
    };
  };
  return { audit, calls };
}

const base = {
  accountIds: ALL,
  existingPostures: new Set([CLEAN_B, KNOWN_DIRTY]),
  secureFirstSeen: true,
  autoRemediate: false,
  baseline: false,
  retryDelayMs: 0,
};

describe('auditAccountBatch', () => {
  test('routes first-seen accounts to securing and records every posture', async () => {
    const { audit } = fakeAudit();
    const { counts, toSecure, results } = await auditAccountBatch({ ...base, auditAccount: audit });
    expect(toSecure).toEqual([CLEAN_A, DIRTY]);
    expect(counts).toEqual({ audited: 4, clean: 2, withCredentials: 2, failed: 0, firstSeen: 2 });
    expect(results.map((result) => [result.accountId, result.outcome, result.firstSeen])).toEqual([
      [CLEAN_A, 'CLEAN', true],
      [CLEAN_B, 'CLEAN', false],
      [DIRTY, 'CREDENTIALS_PRESENT', true],
      [KNOWN_DIRTY, 'CREDENTIALS_PRESENT', false],
    ]);
    expect(results[2]).toMatchObject({
      sessionAccessKeyId: `ASIA${DIRTY}`,
      posture: { credentialsPresent: true },
    });
  });

  test('the baseline run routes nobody', async () => {
    const { audit } = fakeAudit();
    const { toSecure, counts } = await auditAccountBatch({ ...base, baseline: true, auditAccount: audit });
    expect(toSecure).toEqual([]);
    expect(counts.firstSeen).toBe(2);
  });

  test('secureFirstSeen off routes nobody for being new', async () => {
    const { audit } = fakeAudit();
    const { toSecure } = await auditAccountBatch({ ...base, secureFirstSeen: false, auditAccount: audit });
    expect(toSecure).toEqual([]);
  });

  test('autoRemediate routes every account with credentials, even in the baseline', async () => {
    const { audit } = fakeAudit();
    const { toSecure } = await auditAccountBatch({
      ...base,
      baseline: true,
      autoRemediate: true,
      auditAccount: audit,
    });
    expect(toSecure).toEqual([DIRTY, KNOWN_DIRTY]);
  });

  test('one failing account is reported for that account and does not fail the batch', async () => {
    const denied = new RootAccessDeniedError('sts:AssumeRoot: not authorised');
    const { audit, calls } = fakeAudit({ [DIRTY]: [denied] });
    const { toSecure, counts, results } = await auditAccountBatch({ ...base, auditAccount: audit });
    expect(counts).toEqual({ audited: 4, clean: 2, withCredentials: 1, failed: 1, firstSeen: 1 });
    expect(results[2]).toMatchObject({
      accountId: DIRTY,
      outcome: 'FAILED',
      error: 'RootAccessDeniedError',
      errorCause: 'sts:AssumeRoot: not authorised',
    });
    // A terminal error is not retried, and a failed account is not routed.
    expect(calls.filter((id) => id === DIRTY)).toHaveLength(1);
    expect(toSecure).toEqual([CLEAN_A]);
  });

  test('a retryable error is tried once more, then reported', async () => {
    const throttled = () => new ThrottledError('sts:AssumeRoot: Rate exceeded');
    const { audit, calls } = fakeAudit({ [CLEAN_A]: [throttled()], [CLEAN_B]: [throttled(), throttled()] });
    const { results } = await auditAccountBatch({ ...base, auditAccount: audit });
    expect(results[0]).toMatchObject({ accountId: CLEAN_A, outcome: 'CLEAN' });
    expect(results[1]).toMatchObject({ accountId: CLEAN_B, outcome: 'FAILED', error: 'ThrottledError' });
    expect(calls.filter((id) => id === CLEAN_A)).toHaveLength(2);
    expect(calls.filter((id) => id === CLEAN_B)).toHaveLength(2);
  });

  test('an unnamed failure is reported with its own name and message', async () => {
    const { audit } = fakeAudit({ [CLEAN_A]: [new TypeError('boom')] });
    const { results } = await auditAccountBatch({ ...base, auditAccount: audit });
    expect(results[0]).toMatchObject({ outcome: 'FAILED', error: 'TypeError', errorCause: 'boom' });
  });

  test('never runs more audits at once than the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const ids = Array.from({ length: 25 }, (_, n) => String(300000000000 + n));
    const audit = async (): Promise<AccountAudit<TestPosture>> => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return { posture: { credentialsPresent: false }, sessionAccessKeyId: 'ASIA' };
    };
    const { counts } = await auditAccountBatch({
      ...base,
      accountIds: ids,
      concurrency: 4,
      auditAccount: audit,
    });
    expect(counts.audited).toBe(25);
    expect(peak).toBe(4);
  });

  test('rejects a concurrency that is not a positive integer', async () => {
    const { audit } = fakeAudit();
    await expect(auditAccountBatch({ ...base, concurrency: 0, auditAccount: audit })).rejects.toThrow(
      RangeError,
    );
  });
});
