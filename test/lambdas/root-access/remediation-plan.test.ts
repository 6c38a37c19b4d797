import { postureFromDetails } from '../../../lambdas/root-access/posture';
import { credentialsDigest, isKeyInUse } from '../../../lambdas/root-access/remediation-plan';

const key = (accessKeyId: string, lastUsedDate?: string) => ({ accessKeyId, status: 'Active', lastUsedDate });

const posture = (keys: ReturnType<typeof key>[]) =>
  postureFromDetails({ password: {}, accessKeys: keys, signingCertificates: [], mfaDevices: [] });

describe('credentialsDigest', () => {
  it('is the same for the same credentials listed in another order', () => {
    const a = posture([key('AKIA1', '2026-11-01T00:00:00Z'), key('AKIA2')]);
    const b = posture([key('AKIA2'), key('AKIA1', '2026-11-01T00:00:00Z')]);
    expect(credentialsDigest(a)).toBe(credentialsDigest(b));
  });

  it('changes when a key is added or used since', () => {
    const planned = credentialsDigest(posture([key('AKIA1', '2026-11-01T00:00:00Z')]));
    expect(credentialsDigest(posture([key('AKIA1', '2026-11-02T00:00:00Z')]))).not.toBe(planned);
    expect(credentialsDigest(posture([key('AKIA1', '2026-11-01T00:00:00Z'), key('AKIA3')]))).not.toBe(
      planned,
    );
  });
});

describe('isKeyInUse', () => {
  const now = new Date('2026-11-29T00:00:00Z');
  it('counts a key used within the window, and not one never used or used before it', () => {
    expect(isKeyInUse(key('AKIA1', '2026-09-01T00:00:00Z'), 90, now)).toBe(true);
    expect(isKeyInUse(key('AKIA1', '2026-08-30T23:59:59Z'), 90, now)).toBe(false);
    expect(isKeyInUse(key('AKIA1'), 90, now)).toBe(false);
  });
});
