import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { hasAwsErrorCode, toDomainError } from './aws-error-mapping';
import { listRootCredentials } from './audit';
import { CredentialsChangedSincePlanError, CredentialsStillPresentError } from './errors';
import { describePresent, type AccessKeyDetail, type Posture } from './posture';
import { credentialsDigest, isKeyInUse, type KeptAccessKey } from './remediation-plan';

/** The run outcome of a delete that kept root access keys in use (the rest deleted). */
export const KEY_IN_USE_OUTCOME = 'KEY_IN_USE';

export type DeleteActionName =
  | 'DeleteLoginProfile'
  | 'DeleteAccessKey'
  | 'DeleteSigningCertificate'
  | 'DeactivateMFADevice'
  | 'DeleteVirtualMFADevice';

export interface DeleteAction {
  readonly action: DeleteActionName;
  /** Access key id, certificate id or MFA serial number; absent for the password. */
  readonly target?: string;
  readonly result: 'DONE' | 'ALREADY_GONE' | 'PLANNED';
}

export interface DeleteResult {
  readonly before: Posture;
  readonly actions: readonly DeleteAction[];
  readonly after: Posture;
  /** Access keys in use, left in place (empty unless `keepKeysInUse` found some). */
  readonly keptKeys: readonly KeptAccessKey[];
}

/**
 * Keys used within `days` days before `now` are left in place: deleting a
 * root key a job still uses breaks that job, and a deleted key cannot be
 * restored. Only an explicit request including keys in use deletes them.
 */
export interface KeepKeysInUse {
  readonly days: number;
  readonly now: Date;
}

export interface DeleteOptions {
  readonly dryRun: boolean;
  /** Absent: every access key is deleted (the request included keys in use). */
  readonly keepKeysInUse?: KeepKeysInUse;
  /**
   * The approved plan's credentialsDigest: delete only if the credentials
   * listed now are still exactly those (a key added, removed or used since
   * changes it); otherwise CredentialsChangedSincePlanError, nothing deleted.
   */
  readonly expectedCredentialsDigest?: string;
  /** Told once the credentials matched the plan (a reopened session must not compare a half-done delete). */
  readonly onPlanConfirmed?: () => void;
}

/** The IAM call of each deletion, on the root session's IAM client: one source for every delete path. */
const DELETE_CALLS: Readonly<
  Record<DeleteActionName, (iam: IAMClient, target?: string) => Promise<unknown>>
> = {
  DeleteLoginProfile: (iam) => iam.send(new DeleteLoginProfileCommand({})),
  DeleteAccessKey: (iam, target) => iam.send(new DeleteAccessKeyCommand({ AccessKeyId: target })),
  DeleteSigningCertificate: (iam, target) =>
    iam.send(new DeleteSigningCertificateCommand({ CertificateId: target })),
  DeactivateMFADevice: (iam, target) => iam.send(new DeactivateMFADeviceCommand({ SerialNumber: target })),
  DeleteVirtualMFADevice: (iam, target) =>
    iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: target })),
};

/** One deletion: the action, and its target (absent for the password). */
export interface Deletion {
  readonly action: DeleteActionName;
  readonly target?: string;
}

/**
 * The actions that remove what `before` lists, in an order AWS accepts:
 * password, access keys, signing certificates, then each MFA device
 * deactivated before its virtual device is deleted (the other way round
 * answers DeleteConflict). Hardware and FIDO devices are only deactivated.
 */
function planActions(before: Posture, keptKeyIds: ReadonlySet<string>): Deletion[] {
  const details = before.details;
  if (!details) return [];
  const plan: Deletion[] = [];
  if (details.password) plan.push({ action: 'DeleteLoginProfile' });
  for (const { accessKeyId } of details.accessKeys) {
    if (!keptKeyIds.has(accessKeyId)) plan.push({ action: 'DeleteAccessKey', target: accessKeyId });
  }
  for (const { certificateId } of details.signingCertificates) {
    plan.push({ action: 'DeleteSigningCertificate', target: certificateId });
  }
  for (const { serialNumber, virtual } of details.mfaDevices) {
    plan.push({ action: 'DeactivateMFADevice', target: serialNumber });
    if (virtual) plan.push({ action: 'DeleteVirtualMFADevice', target: serialNumber });
  }
  return plan;
}

/**
 * The deletions the delete runs for `before`, in its order, without the
 * keys in `keptKeyIds`: the remediation plan shows exactly these.
 */
export function planDeletions(before: Posture, keptKeyIds: ReadonlySet<string> = new Set()): Deletion[] {
  return planActions(before, keptKeyIds);
}

function recorded(planned: Deletion, result: DeleteAction['result']): DeleteAction {
  return { action: planned.action, ...(planned.target ? { target: planned.target } : {}), result };
}

/** Runs one deletion; NoSuchEntity means someone (or an earlier, interrupted run) removed it first: the goal is met. */
export async function performDeletion(iam: IAMClient, planned: Deletion): Promise<DeleteAction> {
  try {
    await DELETE_CALLS[planned.action](iam, planned.target);
    return recorded(planned, 'DONE');
  } catch (error) {
    if (hasAwsErrorCode(error, 'NoSuchEntity')) return recorded(planned, 'ALREADY_GONE');
    throw toDomainError(error, `iam:${planned.action}`);
  }
}

/** The keys of `before` in use under `keep`, as the run record lists them. */
function keysInUse(before: Posture, keep: KeepKeysInUse | undefined): KeptAccessKey[] {
  if (keep === undefined) return [];
  return (before.details?.accessKeys ?? [])
    .filter((key) => isKeyInUse(key, keep.days, keep.now))
    .map((key: AccessKeyDetail) => ({
      accessKeyId: key.accessKeyId,
      lastUsedDate: key.lastUsedDate ?? '',
      ...(key.lastUsedService === undefined ? {} : { lastUsedService: key.lastUsedService }),
    }));
}

/** Whether `after` lists anything beyond the keys kept on purpose. */
function somethingLeftBehind(after: Posture, keptKeyIds: ReadonlySet<string>): boolean {
  const details = after.details;
  if (details === undefined) return after.credentialsPresent;
  return (
    details.password !== undefined ||
    details.accessKeys.some((key) => !keptKeyIds.has(key.accessKeyId)) ||
    details.signingCertificates.length > 0 ||
    details.mfaDevices.length > 0
  );
}

/**
 * Removes every root credential of the account in the session (task
 * IAMDeleteRootUserCredentials), except the access keys in use when
 * `keepKeysInUse` is given, then lists again in the same session to verify.
 * Which keys are in use is decided on this session's listing (the key's
 * GetAccessKeyLastUsed now), not on an older audit. A dry run lists and
 * plans only: no delete or deactivate call. Actions run one after another
 * because an MFA device must be deactivated before it is deleted, and IAM
 * throttles bursts on one user anyway.
 */
export async function deleteRootCredentials(iam: IAMClient, options: DeleteOptions): Promise<DeleteResult> {
  const before = await listRootCredentials(iam);
  if (options.expectedCredentialsDigest !== undefined) {
    const now = credentialsDigest(before);
    if (now !== options.expectedCredentialsDigest) {
      throw new CredentialsChangedSincePlanError(
        `the root credentials changed since the approved plan (credentials digest ${options.expectedCredentialsDigest} then, ${now} now; present now: ${describePresent(before)}): nothing was deleted, ask again for a new plan`,
      );
    }
    options.onPlanConfirmed?.();
  }
  const keptKeys = keysInUse(before, options.keepKeysInUse);
  const keptKeyIds = new Set(keptKeys.map((key) => key.accessKeyId));
  const plan = planActions(before, keptKeyIds);
  // A dry run, or an account this very session found clean, has nothing to verify.
  if (options.dryRun || plan.length === 0) {
    return { before, actions: plan.map((planned) => recorded(planned, 'PLANNED')), after: before, keptKeys };
  }
  const actions: DeleteAction[] = [];
  for (const planned of plan) actions.push(await performDeletion(iam, planned));
  const after = await listRootCredentials(iam);
  if (somethingLeftBehind(after, keptKeyIds)) {
    throw new CredentialsStillPresentError(
      `root credentials still present after ${actions.length} actions: ${describePresent(after)}`,
    );
  }
  return { before, actions, after, keptKeys };
}
