import { InvalidInputError } from './errors';
import { planDeletions } from './delete-credentials';
import type { Posture } from './posture';
import {
  credentialsDigest,
  isKeyInUse,
  MAX_KEY_IN_USE_DAYS,
  REMEDIATION_PLAN_KIND,
  REMEDIATION_PLAN_SCHEMA_VERSION,
  type KeptAccessKey,
  type PlannedAccount,
  type PlannedDeletion,
  type PlanRisk,
  type RemediationPlan,
  type RemediationPlanSettings,
  type RemediationWave,
} from './remediation-plan';

/**
 * Builds the remediation plan from recorded postures: pure (no AWS call, no
 * clock of its own), so the same postures, settings and `now` always give
 * the same plan, which is what a reviewer signs off.
 */

export const DEFAULT_CANARY_WAVE_SIZES: readonly number[] = [1, 5];
export const DEFAULT_WAVE_PERCENT = 25;
export const DEFAULT_MAX_POSTURE_AGE_HOURS = 24;

/** Why an account in scope is left out of the plan (the reason's first word). */
const NOT_PLANNED = {
  clean: 'CLEAN',
  onlyKeysInUse: 'ONLY_KEYS_IN_USE',
  stalePosture: 'STALE_POSTURE',
  noDetails: 'NO_DETAILS',
} as const;

export interface RecordedPosture {
  readonly accountId: string;
  readonly posture: Posture;
  /** When the posture was recorded (ISO 8601). */
  readonly recordedAt: string;
}

export interface PlanInput {
  readonly scope: RemediationPlan['scope'];
  readonly settings: RemediationPlanSettings;
  readonly now: Date;
  /** The latest recorded posture of each account in scope that may be remediated. */
  readonly postures: readonly RecordedPosture[];
  /** Accounts in scope the caller already knows may not be touched (management, protected, ...), with why. */
  readonly notPlanned?: readonly { readonly accountId: string; readonly reason: string }[];
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Accounts whose posture is older than `maxAgeHours` before `now`: to re-audit before planning. */
export function stalePostures(
  postures: readonly RecordedPosture[],
  maxAgeHours: number,
  now: Date,
): string[] {
  return postures
    .filter((row) => {
      const recorded = Date.parse(row.recordedAt);
      return !Number.isFinite(recorded) || now.getTime() - recorded > maxAgeHours * HOUR_MS;
    })
    .map((row) => row.accountId);
}

function positiveInteger(value: number, field: string, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidInputError(field, `must be an integer from 1 to ${max}, got ${String(value)}`);
  }
}

/** Refuses settings that would make a plan nobody meant (the field is named). */
export function validatePlanSettings(settings: RemediationPlanSettings): void {
  positiveInteger(settings.keyInUseDays, 'keyInUseDays', MAX_KEY_IN_USE_DAYS);
  positiveInteger(settings.wavePercent, 'wavePercent', 100);
  if (settings.canaryWaveSizes.length > 10) {
    throw new InvalidInputError('canaryWaveSizes', 'may list at most 10 canary waves');
  }
  for (const size of settings.canaryWaveSizes) positiveInteger(size, 'canaryWaveSizes', 10_000);
  if (!Number.isFinite(settings.maxPostureAgeHours) || settings.maxPostureAgeHours <= 0) {
    throw new InvalidInputError(
      'maxPostureAgeHours',
      `must be a positive number of hours, got ${String(settings.maxPostureAgeHours)}`,
    );
  }
}

function daysAgo(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / DAY_MS));
}

/**
 * What cannot be undone: a deleted key, certificate or virtual MFA device is
 * gone for good. A password can be re-created through root recovery, and a
 * deactivated hardware device stays with its owner, who can associate it again.
 */
function irreversible(action: PlannedDeletion['action']): boolean {
  return action !== 'DeleteLoginProfile' && action !== 'DeactivateMFADevice';
}

function risksOf(posture: Posture, settings: RemediationPlanSettings, now: Date): PlanRisk[] {
  const details = posture.details;
  if (details === undefined) return [];
  const risks: PlanRisk[] = [];
  for (const key of details.accessKeys) {
    if (!isKeyInUse(key, settings.keyInUseDays, now) || key.lastUsedDate === undefined) continue;
    const days = daysAgo(key.lastUsedDate, now);
    const by = key.lastUsedService === undefined ? '' : ` by ${key.lastUsedService}`;
    risks.push({
      kind: 'KEY_IN_USE',
      target: key.accessKeyId,
      detail: `used ${days} day${days === 1 ? '' : 's'} ago${by}: ${settings.includeKeysInUse ? 'DELETED' : 'kept'}`,
    });
  }
  for (const certificate of details.signingCertificates) {
    risks.push({
      kind: 'SIGNING_CERTIFICATE',
      target: certificate.certificateId,
      detail: `${certificate.status}; what signs with it stops working`,
    });
  }
  for (const device of details.mfaDevices) {
    if (device.virtual) continue;
    risks.push({
      kind: 'HARDWARE_MFA',
      target: device.serialNumber,
      detail: 'hardware or FIDO: only deactivated, stays with its owner',
    });
  }
  return risks;
}

/** Keys in use weigh most: deleting one breaks a job; then devices and certificates, then irreversible deletions. */
const RISK_WEIGHT: Readonly<Record<PlanRisk['kind'], number>> = {
  KEY_IN_USE: 100,
  SIGNING_CERTIFICATE: 10,
  HARDWARE_MFA: 10,
};

function riskScore(account: PlannedAccount): number {
  return (
    account.risks.reduce((sum, risk) => sum + RISK_WEIGHT[risk.kind], 0) +
    account.deletions.filter((deletion) => deletion.irreversible).length
  );
}

function planAccount(
  row: RecordedPosture,
  settings: RemediationPlanSettings,
  now: Date,
): PlannedAccount | { reason: string } {
  const { posture } = row;
  if (!posture.credentialsPresent) return { reason: `${NOT_PLANNED.clean}: no root credentials` };
  if (posture.details === undefined) {
    return {
      reason: `${NOT_PLANNED.noDetails}: the recorded posture does not list the credentials; audit again`,
    };
  }
  const keptKeys: KeptAccessKey[] = settings.includeKeysInUse
    ? []
    : posture.details.accessKeys
        .filter((key) => isKeyInUse(key, settings.keyInUseDays, now))
        .map((key) => ({
          accessKeyId: key.accessKeyId,
          lastUsedDate: key.lastUsedDate ?? '',
          ...(key.lastUsedService === undefined ? {} : { lastUsedService: key.lastUsedService }),
        }));
  const kept = new Set(keptKeys.map((key) => key.accessKeyId));
  const deletions = planDeletions(posture, kept).map(({ action, target }): PlannedDeletion => ({
    action,
    ...(target === undefined ? {} : { target }),
    irreversible: irreversible(action),
  }));
  if (deletions.length === 0) {
    return {
      reason: `${NOT_PLANNED.onlyKeysInUse}: only root access keys in use (${[...kept].join(', ')}), kept`,
    };
  }
  return {
    accountId: row.accountId,
    postureRecordedAt: row.recordedAt,
    credentialsDigest: credentialsDigest(posture),
    deletions,
    keptKeys,
    risks: risksOf(posture, settings, now),
  };
}

/**
 * Canary waves first (default 1 account, then 5), taken among the
 * lowest-risk accounts, so a surprise shows on the account that matters
 * least; then waves of `wavePercent` of the planned accounts, lowest risk
 * first. Ties break on the account id: the order never depends on input order.
 */
function groupIntoWaves(accounts: PlannedAccount[], settings: RemediationPlanSettings): RemediationWave[] {
  const ordered = [...accounts].sort(
    (a, b) => riskScore(a) - riskScore(b) || a.accountId.localeCompare(b.accountId),
  );
  const waves: RemediationWave[] = [];
  let next = 0;
  for (const size of settings.canaryWaveSizes) {
    if (next >= ordered.length) break;
    waves.push({ number: waves.length + 1, kind: 'canary', accounts: ordered.slice(next, next + size) });
    next += size;
  }
  const waveSize = Math.max(1, Math.ceil((ordered.length * settings.wavePercent) / 100));
  while (next < ordered.length) {
    waves.push({ number: waves.length + 1, kind: 'rollout', accounts: ordered.slice(next, next + waveSize) });
    next += waveSize;
  }
  return waves;
}

export function buildRemediationPlan(input: PlanInput): RemediationPlan {
  const { settings, now } = input;
  validatePlanSettings(settings);
  const stale = new Set(stalePostures(input.postures, settings.maxPostureAgeHours, now));
  const notPlanned = new Map<string, string>();
  for (const { accountId, reason } of input.notPlanned ?? []) notPlanned.set(accountId, reason);
  const planned: PlannedAccount[] = [];
  for (const row of input.postures) {
    if (notPlanned.has(row.accountId)) continue;
    if (stale.has(row.accountId)) {
      notPlanned.set(
        row.accountId,
        `${NOT_PLANNED.stalePosture}: recorded ${row.recordedAt}, older than ${settings.maxPostureAgeHours} h; audit again`,
      );
      continue;
    }
    const result = planAccount(row, settings, now);
    if ('reason' in result) notPlanned.set(row.accountId, result.reason);
    else planned.push(result);
  }
  return {
    kind: REMEDIATION_PLAN_KIND,
    schemaVersion: REMEDIATION_PLAN_SCHEMA_VERSION,
    createdAt: now.toISOString(),
    scope: input.scope,
    settings,
    waves: groupIntoWaves(planned, settings),
    notPlanned: [...notPlanned]
      .map(([accountId, reason]) => ({ accountId, reason }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId)),
  };
}
