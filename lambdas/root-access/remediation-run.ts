import type { IAMClient } from '@aws-sdk/client-iam';
import { listRootCredentials } from './audit';
import { KEY_IN_USE_OUTCOME, performDeletion, type DeleteAction } from './delete-credentials';
import { CredentialsStillPresentError } from './errors';
import type { Posture } from './posture';
import { credentialsDigest, isKeyInUse, type PlannedAccount, type PlannedDeletion } from './remediation-plan';

/**
 * One planned account of the Remediate organization workflow: in one root
 * session, list the credentials, refuse when they are not the ones the plan
 * was built from, else run exactly the planned deletions and verify.
 */

/** The outcome recorded when the account's credentials are not those the plan saw. */
export const CREDENTIALS_CHANGED_REASON = 'credentials changed since the plan';

/** Why an account whose plan deletes a key in use was refused before any approver's go-ahead. */
export const KEYS_IN_USE_NOT_APPROVED_REASON =
  'the plan deletes access keys in use and no approver gave a go-ahead';

/** Keys in use, as this session sees them: deleting one needs the run's approval (or approvals off). */
export interface KeysInUseRule {
  readonly days: number;
  readonly now: Date;
  /** An approver gave a go-ahead of the run, or approvals are off (the requester confirmed). */
  readonly approved: boolean;
}

/** What a planned account's run ends as (each recorded as the account's run outcome). */
export type PlannedAccountOutcome = 'REMEDIATED' | typeof KEY_IN_USE_OUTCOME | 'SKIPPED';

export interface PlannedAccountResult {
  readonly outcome: PlannedAccountOutcome;
  readonly outcomeReason: string;
  readonly before: Posture;
  readonly actions: readonly DeleteAction[];
  readonly after: Posture;
}

/** The planned key deletions this session finds in use, when the run may not delete them. */
function keysInUseToDelete(
  before: Posture,
  deletions: readonly PlannedDeletion[],
  rule: KeysInUseRule | undefined,
): string[] {
  if (rule === undefined || rule.approved) return [];
  const planned = new Set(
    deletions.filter((deletion) => deletion.action === 'DeleteAccessKey').map((deletion) => deletion.target),
  );
  return (before.details?.accessKeys ?? [])
    .filter((key) => planned.has(key.accessKeyId) && isKeyInUse(key, rule.days, rule.now))
    .map((key) => key.accessKeyId);
}

/** What of the planned deletions is still there after they ran, in words ("" when nothing). */
function leftOver(after: Posture, deletions: readonly PlannedDeletion[]): string {
  const details = after.details;
  const left: string[] = [];
  for (const { action, target } of deletions) {
    if (action === 'DeleteLoginProfile' && details?.password !== undefined) left.push('password');
    if (action === 'DeleteAccessKey' && details?.accessKeys.some((key) => key.accessKeyId === target))
      left.push(`access key ${target}`);
    if (
      action === 'DeleteSigningCertificate' &&
      details?.signingCertificates.some((certificate) => certificate.certificateId === target)
    )
      left.push(`signing certificate ${target}`);
    if (
      action === 'DeleteVirtualMFADevice' &&
      details?.mfaDevices.some((device) => device.serialNumber === target)
    )
      left.push(`MFA device ${target}`);
  }
  return left.join(', ');
}

/**
 * Runs one planned account in the given root session (task
 * IAMDeleteRootUserCredentials). The digest is compared in the same
 * session as the deletions, so nothing that changed since the plan (a new
 * key, a key used since) is deleted on an outdated review: SKIPPED, with
 * CREDENTIALS_CHANGED_REASON. Deletions run one after another, in the
 * plan's order (MFA devices deactivated before they are deleted, as the
 * plan builder orders them). Keys the plan keeps are never touched; the
 * account is then KEY_IN_USE. A planned deletion of a key this session
 * finds in use is refused (SKIPPED, nothing deleted) unless `keysInUse`
 * says the run was approved: the plan file is the requester's, so whether a
 * key is in use is decided here, not on what the plan says.
 */
export async function remediatePlannedAccount(
  iam: IAMClient,
  planned: PlannedAccount,
  keysInUse?: KeysInUseRule,
): Promise<PlannedAccountResult> {
  const before = await listRootCredentials(iam);
  if (credentialsDigest(before) !== planned.credentialsDigest) {
    return {
      outcome: 'SKIPPED',
      outcomeReason: CREDENTIALS_CHANGED_REASON,
      before,
      actions: [],
      after: before,
    };
  }
  const inUse = keysInUseToDelete(before, planned.deletions, keysInUse);
  if (inUse.length > 0) {
    return {
      outcome: 'SKIPPED',
      outcomeReason: `${KEYS_IN_USE_NOT_APPROVED_REASON} (${inUse.join(', ')})`,
      before,
      actions: [],
      after: before,
    };
  }
  const actions: DeleteAction[] = [];
  for (const deletion of planned.deletions) actions.push(await performDeletion(iam, deletion));
  const after = planned.deletions.length === 0 ? before : await listRootCredentials(iam);
  const left = leftOver(after, planned.deletions);
  if (left !== '') {
    throw new CredentialsStillPresentError(`still present after the planned deletions: ${left}`);
  }
  const kept = planned.keptKeys.map((key) => key.accessKeyId);
  return kept.length > 0
    ? {
        outcome: KEY_IN_USE_OUTCOME,
        outcomeReason: `kept access keys in use: ${planned.keptKeys
          .map(
            (key) =>
              `${key.accessKeyId} (last used ${key.lastUsedDate}${key.lastUsedService ? ` by ${key.lastUsedService}` : ''})`,
          )
          .join(', ')}`,
        before,
        actions,
        after,
      }
    : { outcome: 'REMEDIATED', outcomeReason: '', before, actions, after };
}
