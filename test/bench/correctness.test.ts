import { compareRecorded, postureFromRecord, truePosture } from '../../bench/correctness';
import type { PostureFlags } from '../../bench/types';

const clean: PostureFlags = {
  passwordPresent: false,
  accessKeysPresent: false,
  signingCertificatesPresent: false,
  mfaEnabled: false,
};
const withPassword: PostureFlags = { ...clean, passwordPresent: true };

describe('truth from the sandbox', () => {
  it('counts inactive keys and ignores unassigned MFA devices', () => {
    expect(
      truePosture({
        loginProfile: { createDate: new Date() },
        accessKeys: [{ status: 'Inactive' }],
        signingCertificates: [],
        mfaDevices: [{ assigned: false }],
      }),
    ).toEqual({
      passwordPresent: true,
      accessKeysPresent: true,
      signingCertificatesPresent: false,
      mfaEnabled: false,
    });
  });
});

describe('comparison', () => {
  const truth = new Map<string, PostureFlags>([
    ['111111111111', clean],
    ['222222222222', withPassword],
    ['333333333333', clean],
    ['444444444444', clean],
  ]);

  it('sorts accounts into correct, wrong, missing and unexpected', () => {
    const recorded = new Map<string, PostureFlags | null>([
      ['111111111111', clean],
      ['222222222222', clean], // missed the password
      ['444444444444', null], // unreadable record
      ['999999999999', clean], // not in the organization
    ]);
    expect(compareRecorded(truth, recorded)).toEqual({
      expected: 4,
      correct: 1,
      wrong: 2,
      missing: 1,
      unexpected: 1,
      wrongIds: ['222222222222', '444444444444'],
      missingIds: ['333333333333'],
      unexpectedIds: ['999999999999'],
    });
  });

  it('checks only the sample when a strategy ran on one', () => {
    const recorded = new Map([['111111111111', clean]]);
    const result = compareRecorded(truth, recorded, ['111111111111']);
    expect(result).toMatchObject({ expected: 1, correct: 1, wrong: 0, missing: 0, unexpected: 0 });
  });
});

describe('posture records', () => {
  it('reads the posture JSON Rootkeeper stores', () => {
    expect(postureFromRecord(JSON.stringify({ ...withPassword, credentialsPresent: true }))).toEqual(
      withPassword,
    );
  });
  it('turns a malformed record into null (a wrong record)', () => {
    expect(postureFromRecord('{"passwordPresent":"yes"}')).toBeNull();
    expect(postureFromRecord('not json')).toBeNull();
  });
});
