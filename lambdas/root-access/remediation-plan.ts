import { createHash } from 'node:crypto';
import type { DeleteActionName } from './delete-credentials';
import type { AccessKeyDetail, Posture } from './posture';

/**
 * The remediation plan: the document `rootkeeper remediate --plan` prints
 * (and `--output json` saves) and the Remediate organization workflow
 * executes wave by wave. A person reviews it, so it says per account what
 * will be deleted, what is irreversible, and what is left in place and why.
 */
export const REMEDIATION_PLAN_KIND = 'rootkeeper-remediation-plan';
export const REMEDIATION_PLAN_SCHEMA_VERSION = 1;

/** Default age, in days, under which a root access key's last use counts as "in use". */
export const DEFAULT_KEY_IN_USE_DAYS = 90;
/** Ten years: a longer window is a typo (the configuration and the command line refuse it). */
export const MAX_KEY_IN_USE_DAYS = 3650;

export type PlanRiskKind = 'KEY_IN_USE' | 'SIGNING_CERTIFICATE' | 'HARDWARE_MFA';

export interface PlanRisk {
  readonly kind: PlanRiskKind;
  /** Access key id, certificate id or MFA serial number. */
  readonly target: string;
  /** In words, e.g. "used 3 days ago by s3". */
  readonly detail: string;
}

export interface PlannedDeletion {
  readonly action: DeleteActionName;
  /** Absent for the password (DeleteLoginProfile). */
  readonly target?: string;
  /** True when nothing can bring it back (keys, certificates, MFA devices); a password can be re-created by recovery. */
  readonly irreversible: boolean;
}

export interface KeptAccessKey {
  readonly accessKeyId: string;
  readonly lastUsedDate: string;
  readonly lastUsedService?: string;
}

export interface PlannedAccount {
  readonly accountId: string;
  /** When the posture the plan was built from was recorded (ISO 8601). */
  readonly postureRecordedAt: string;
  /** credentialsDigest() of that posture: the run refuses (SKIPPED) when the account's digest differs. */
  readonly credentialsDigest: string;
  readonly deletions: readonly PlannedDeletion[];
  /** Keys used within keyInUseDays, left in place unless the plan includes keys in use. */
  readonly keptKeys: readonly KeptAccessKey[];
  readonly risks: readonly PlanRisk[];
}

export interface RemediationWave {
  /** 1-based. */
  readonly number: number;
  readonly kind: 'canary' | 'rollout';
  readonly accounts: readonly PlannedAccount[];
}

export interface RemediationPlanSettings {
  readonly keyInUseDays: number;
  readonly includeKeysInUse: boolean;
  /** Sizes of the canary waves, in accounts (default [1, 5]). */
  readonly canaryWaveSizes: readonly number[];
  /** Each later wave holds this percentage of the accounts to remediate (rounded up). */
  readonly wavePercent: number;
  /** Postures older than this are re-audited before the plan is built. */
  readonly maxPostureAgeHours: number;
}

export interface RemediationPlan {
  readonly kind: typeof REMEDIATION_PLAN_KIND;
  readonly schemaVersion: typeof REMEDIATION_PLAN_SCHEMA_VERSION;
  readonly createdAt: string;
  readonly scope: {
    readonly all?: boolean;
    readonly organizationalUnitIds?: readonly string[];
    readonly accountIds?: readonly string[];
  };
  readonly settings: RemediationPlanSettings;
  readonly waves: readonly RemediationWave[];
  /** Accounts in scope with nothing to do or that may not be touched, and why. */
  readonly notPlanned: readonly { readonly accountId: string; readonly reason: string }[];
}

/**
 * A fingerprint of the root credentials a posture lists, including each
 * access key's last use: a new key, a removed one or a key used since the
 * plan changes it. Order-independent, so two listings of the same state agree.
 */
export function credentialsDigest(posture: Posture): string {
  const details = posture.details;
  const canonical = {
    password: details?.password !== undefined,
    accessKeys: [...(details?.accessKeys ?? [])]
      .map((key) => [key.accessKeyId, key.status, key.lastUsedDate ?? ''])
      .sort(),
    signingCertificates: [...(details?.signingCertificates ?? [])]
      .map((certificate) => [certificate.certificateId, certificate.status])
      .sort(),
    mfaDevices: [...(details?.mfaDevices ?? [])].map((device) => device.serialNumber).sort(),
  };
  return createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('hex');
}

const DAY_MS = 24 * 3600 * 1000;

/** Whether a root access key was used within the last `days` days before `now`. */
export function isKeyInUse(key: AccessKeyDetail, days: number, now: Date): boolean {
  if (key.lastUsedDate === undefined) return false;
  const lastUsed = Date.parse(key.lastUsedDate);
  return Number.isFinite(lastUsed) && now.getTime() - lastUsed <= days * DAY_MS;
}
