import { isVirtualMfaSerial, postureFromDetails } from '../../lambdas/root-access/posture';
import {
  credentialsDigest,
  REMEDIATION_PLAN_KIND,
  REMEDIATION_PLAN_SCHEMA_VERSION,
  type PlannedAccount,
  type PlannedDeletion,
  type RemediationPlan,
} from '../../lambdas/root-access/remediation-plan';
import type { RootUser } from './fake-organization';

/**
 * Plans for the workflow tests, written as a reviewer would save them (the
 * plan builder has its own tests): each account's digest from the root user
 * as IAM lists it, every credential deleted except the keys named as kept.
 */
export interface PlanEntry {
  readonly accountId: string;
  readonly root: RootUser;
  readonly keyLastUsed?: ReadonlyMap<string, { date: Date; service: string }>;
  readonly keep?: readonly string[];
}

function plannedAccount({ accountId, root, keyLastUsed, keep = [] }: PlanEntry): PlannedAccount {
  const posture = postureFromDetails({
    ...(root.password ? { password: { createDate: '2024-01-01T00:00:00.000Z' } } : {}),
    accessKeys: root.accessKeys.map((accessKeyId) => {
      const used = keyLastUsed?.get(accessKeyId);
      return {
        accessKeyId,
        status: 'Active',
        ...(used === undefined
          ? {}
          : { lastUsedDate: used.date.toISOString(), lastUsedService: used.service }),
      };
    }),
    signingCertificates: root.signingCertificates.map((certificateId) => ({
      certificateId,
      status: 'Active',
    })),
    mfaDevices: root.mfaSerials.map((serialNumber) => ({
      serialNumber,
      virtual: isVirtualMfaSerial(serialNumber),
    })),
  });
  const deletions: PlannedDeletion[] = [
    ...(root.password ? [{ action: 'DeleteLoginProfile' as const, irreversible: false }] : []),
    ...root.accessKeys
      .filter((key) => !keep.includes(key))
      .map((target) => ({ action: 'DeleteAccessKey' as const, target, irreversible: true })),
    ...root.signingCertificates.map((target) => ({
      action: 'DeleteSigningCertificate' as const,
      target,
      irreversible: true,
    })),
    ...root.mfaSerials.flatMap((target) => [
      { action: 'DeactivateMFADevice' as const, target, irreversible: true },
      ...(isVirtualMfaSerial(target)
        ? [{ action: 'DeleteVirtualMFADevice' as const, target, irreversible: true }]
        : []),
    ]),
  ];
  return {
    accountId,
    postureRecordedAt: '2026-11-29T12:00:00.000Z',
    credentialsDigest: credentialsDigest(posture),
    deletions,
    keptKeys: keep.map((accessKeyId) => {
      const used = keyLastUsed?.get(accessKeyId);
      return {
        accessKeyId,
        lastUsedDate: used?.date.toISOString() ?? '',
        ...(used === undefined ? {} : { lastUsedService: used.service }),
      };
    }),
    // What a plan built with includeKeysInUse flags: each key with a recorded use that it deletes.
    risks: deletions
      .filter((deletion) => deletion.action === 'DeleteAccessKey' && keyLastUsed?.has(deletion.target ?? ''))
      .map((deletion) => ({
        kind: 'KEY_IN_USE' as const,
        target: deletion.target ?? '',
        detail: `used by ${keyLastUsed?.get(deletion.target ?? '')?.service ?? '?'}`,
      })),
  };
}

/** Waves of the given sizes, the first one a canary, in the entries' order. */
export function planOf(entries: readonly PlanEntry[], waveSizes: readonly number[]): RemediationPlan {
  let next = 0;
  const waves = waveSizes.map((size, index) => {
    const accounts = entries.slice(next, next + size).map(plannedAccount);
    next += size;
    return { number: index + 1, kind: index === 0 ? ('canary' as const) : ('rollout' as const), accounts };
  });
  return {
    kind: REMEDIATION_PLAN_KIND,
    schemaVersion: REMEDIATION_PLAN_SCHEMA_VERSION,
    createdAt: '2026-11-29T12:00:00.000Z',
    scope: { all: true },
    settings: {
      keyInUseDays: 90,
      includeKeysInUse: false,
      canaryWaveSizes: [1],
      wavePercent: 50,
      maxPostureAgeHours: 24,
    },
    waves,
    notPlanned: [],
  };
}
