import { InvalidInputError } from '../../../lambdas/root-access/errors';
import { postureFromDetails, type PostureDetails } from '../../../lambdas/root-access/posture';
import {
  credentialsDigest,
  type RemediationPlanSettings,
} from '../../../lambdas/root-access/remediation-plan';
import {
  buildRemediationPlan,
  stalePostures,
  type RecordedPosture,
} from '../../../lambdas/root-access/remediation-planning';

const NOW = new Date('2026-11-29T12:00:00Z');
const RECENT = '2026-11-29T08:00:00Z';
const SETTINGS: RemediationPlanSettings = {
  keyInUseDays: 90,
  includeKeysInUse: false,
  canaryWaveSizes: [1, 5],
  wavePercent: 25,
  maxPostureAgeHours: 24,
};
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

function recorded(accountId: string, details: Partial<PostureDetails>, recordedAt = RECENT): RecordedPosture {
  return {
    accountId,
    recordedAt,
    posture: postureFromDetails({ accessKeys: [], signingCertificates: [], mfaDevices: [], ...details }),
  };
}
const passwordOnly = (accountId: string) => recorded(accountId, { password: {} });
const plan = (postures: RecordedPosture[], settings: Partial<RemediationPlanSettings> = {}) =>
  buildRemediationPlan({ scope: { all: true }, settings: { ...SETTINGS, ...settings }, now: NOW, postures });
const idsOf = (wave: { accounts: readonly { accountId: string }[] } | undefined) =>
  wave?.accounts.map((account) => account.accountId);

describe('buildRemediationPlan', () => {
  test('deletions in the order the delete runs them, with irreversibility marked', () => {
    const account = recorded('100000000001', {
      password: {},
      accessKeys: [{ accessKeyId: 'AKIAOLD', status: 'Active', lastUsedDate: daysBefore(400) }],
      signingCertificates: [{ certificateId: 'CERT1', status: 'Active' }],
      mfaDevices: [
        { serialNumber: 'arn:aws:iam::100000000001:mfa/root', virtual: true },
        { serialNumber: 'GAHT0001', virtual: false },
      ],
    });
    const [wave] = plan([account]).waves;
    expect(wave?.accounts[0]?.deletions).toEqual([
      { action: 'DeleteLoginProfile', irreversible: false },
      { action: 'DeleteAccessKey', target: 'AKIAOLD', irreversible: true },
      { action: 'DeleteSigningCertificate', target: 'CERT1', irreversible: true },
      { action: 'DeactivateMFADevice', target: 'arn:aws:iam::100000000001:mfa/root', irreversible: false },
      { action: 'DeleteVirtualMFADevice', target: 'arn:aws:iam::100000000001:mfa/root', irreversible: true },
      { action: 'DeactivateMFADevice', target: 'GAHT0001', irreversible: false },
    ]);
    expect(wave?.accounts[0]?.risks.map((risk) => `${risk.kind} ${risk.target}`)).toEqual([
      'SIGNING_CERTIFICATE CERT1',
      'HARDWARE_MFA GAHT0001',
    ]);
    expect(wave?.accounts[0]?.credentialsDigest).toBe(credentialsDigest(account.posture));
  });

  test('a key used within keyInUseDays is kept and flagged with its last service; an old one is deleted', () => {
    const account = recorded('100000000001', {
      password: {},
      accessKeys: [
        { accessKeyId: 'AKIAUSED', status: 'Active', lastUsedDate: daysBefore(3), lastUsedService: 'ec2' },
        { accessKeyId: 'AKIAOLD', status: 'Active', lastUsedDate: daysBefore(120) },
      ],
    });
    const planned = plan([account]).waves[0]?.accounts[0];
    expect(planned?.keptKeys).toEqual([
      { accessKeyId: 'AKIAUSED', lastUsedDate: daysBefore(3), lastUsedService: 'ec2' },
    ]);
    expect(planned?.deletions.map((deletion) => deletion.target ?? deletion.action)).toEqual([
      'DeleteLoginProfile',
      'AKIAOLD',
    ]);
    expect(planned?.risks).toEqual([
      { kind: 'KEY_IN_USE', target: 'AKIAUSED', detail: 'used 3 day(s) ago by ec2; kept' },
    ]);
    // A shorter window: the same key is no longer in use.
    expect(plan([account], { keyInUseDays: 2 }).waves[0]?.accounts[0]?.keptKeys).toEqual([]);
  });

  test('includeKeysInUse plans the deletion of the key in use and says so', () => {
    const account = recorded('100000000001', {
      accessKeys: [
        { accessKeyId: 'AKIAUSED', status: 'Active', lastUsedDate: daysBefore(1), lastUsedService: 's3' },
      ],
    });
    expect(plan([account]).waves).toEqual([]);
    const planned = plan([account], { includeKeysInUse: true }).waves[0]?.accounts[0];
    expect(planned?.deletions).toEqual([
      { action: 'DeleteAccessKey', target: 'AKIAUSED', irreversible: true },
    ]);
    expect(planned?.risks[0]?.detail).toContain('WILL BE DELETED');
  });

  test('canary waves of 1 then 5 among the lowest-risk accounts, then waves of 25 %', () => {
    // Prepare: 20 accounts with a password only, 4 riskier ones that sort first by id.
    const risky = ['100000000001', '100000000002', '100000000003', '100000000004'].map((id) =>
      recorded(id, { password: {}, signingCertificates: [{ certificateId: `C${id}`, status: 'Active' }] }),
    );
    const simple = Array.from({ length: 20 }, (_, index) =>
      passwordOnly(`2000000000${String(index).padStart(2, '0')}`),
    );
    // Act
    const { waves } = plan([...risky, ...simple].reverse());
    // Assess
    expect(waves.map((wave) => [wave.kind, wave.accounts.length])).toEqual([
      ['canary', 1],
      ['canary', 5],
      ['rollout', 6],
      ['rollout', 6],
      ['rollout', 6],
    ]);
    expect(waves.map((wave) => wave.number)).toEqual([1, 2, 3, 4, 5]);
    expect(idsOf(waves[0])).toEqual(['200000000000']);
    expect(idsOf(waves[1])).toEqual([
      '200000000001',
      '200000000002',
      '200000000003',
      '200000000004',
      '200000000005',
    ]);
    // The riskiest go last.
    expect(idsOf(waves[4])?.slice(-4)).toEqual(risky.map((row) => row.accountId));
  });

  test('the waves follow --canary and --wave-percent', () => {
    const accounts = Array.from({ length: 10 }, (_, index) => passwordOnly(`30000000000${index}`));
    const { waves } = plan(accounts, { canaryWaveSizes: [2], wavePercent: 50 });
    expect(waves.map((wave) => [wave.kind, wave.accounts.length])).toEqual([
      ['canary', 2],
      ['rollout', 5],
      ['rollout', 3],
    ]);
  });

  test('clean, stale, keys-in-use-only and excluded accounts are not planned, with their reasons', () => {
    const result = buildRemediationPlan({
      scope: { accountIds: ['1', '2', '3', '4', '5'] },
      settings: SETTINGS,
      now: NOW,
      postures: [
        recorded('100000000001', {}),
        recorded('100000000002', { password: {} }, daysBefore(2)),
        recorded('100000000003', {
          accessKeys: [{ accessKeyId: 'AKIAUSED', status: 'Active', lastUsedDate: daysBefore(5) }],
        }),
        passwordOnly('100000000004'),
        passwordOnly('100000000005'),
      ],
      notPlanned: [{ accountId: '100000000005', reason: 'MANAGEMENT_ACCOUNT: never targeted' }],
    });
    expect(result.notPlanned.map((row) => `${row.accountId} ${row.reason.split(':')[0]}`)).toEqual([
      '100000000001 CLEAN',
      '100000000002 STALE_POSTURE',
      '100000000003 ONLY_KEYS_IN_USE',
      '100000000005 MANAGEMENT_ACCOUNT',
    ]);
    expect(result.waves.flatMap((wave) => idsOf(wave))).toEqual(['100000000004']);
  });

  test('refuses settings nobody meant, naming the field', () => {
    expect(() => plan([], { wavePercent: 0 })).toThrow(InvalidInputError);
    expect(() => plan([], { wavePercent: 101 })).toThrow('wavePercent');
    expect(() => plan([], { canaryWaveSizes: [0] })).toThrow('canaryWaveSizes');
    expect(() => plan([], { keyInUseDays: 0 })).toThrow('keyInUseDays');
    expect(() => plan([], { maxPostureAgeHours: -1 })).toThrow('maxPostureAgeHours');
  });
});

test('stalePostures: older than the maximum age, or without a readable date', () => {
  expect(
    stalePostures(
      [passwordOnly('1'), recorded('2', {}, daysBefore(2)), recorded('3', {}, 'yesterday')],
      24,
      NOW,
    ),
  ).toEqual(['2', '3']);
});
