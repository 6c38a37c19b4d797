import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  DeleteVirtualMFADeviceCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { listRootCredentials } from './audit';
import { hasAwsErrorCode, toDomainError } from './aws-error-mapping';
import { KEY_IN_USE_OUTCOME, type DeleteAction, type DeleteActionName } from './delete-credentials';
import { CredentialsStillPresentError } from './errors';
import type { Posture } from './posture';
import { credentialsDigest, type PlannedAccount, type PlannedDeletion } from './remediation-plan';

/**
 * One planned account of the Remediate organization workflow: in one root
 * session, list the credentials, refuse when they are not the ones the plan
 * was built from, else run exactly the planned deletions and verify.
 */

/** The outcome recorded when the account's credentials are not those the plan saw. */
export const CREDENTIALS_CHANGED_REASON = 'credentials changed since the plan';

/** What a planned account's run ends as (each recorded as the account's run outcome). */
export type PlannedAccountOutcome = 'REMEDIATED' | typeof KEY_IN_USE_OUTCOME | 'SKIPPED';

export interface PlannedAccountResult {
  readonly outcome: PlannedAccountOutcome;
  readonly outcomeReason: string;
  readonly before: Posture;
  readonly actions: readonly DeleteAction[];
  readonly after: Posture;
}

const send: Readonly<Record<DeleteActionName, (iam: IAMClient, target?: string) => Promise<unknown>>> = {
  DeleteLoginProfile: (iam) => iam.send(new DeleteLoginProfileCommand({})),
  DeleteAccessKey: (iam, target) => iam.send(new DeleteAccessKeyCommand({ AccessKeyId: target })),
  DeleteSigningCertificate: (iam, target) =>
    iam.send(new DeleteSigningCertificateCommand({ CertificateId: target })),
  DeactivateMFADevice: (iam, target) => iam.send(new DeactivateMFADeviceCommand({ SerialNumber: target })),
  DeleteVirtualMFADevice: (iam, target) =>
    iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: target })),
};

async function perform(iam: IAMClient, deletion: PlannedDeletion): Promise<DeleteAction> {
  const done = (result: DeleteAction['result']): DeleteAction => ({
    action: deletion.action,
    ...(deletion.target === undefined ? {} : { target: deletion.target }),
    result,
  });
  try {
    await send[deletion.action](iam, deletion.target);
    return done('DONE');
  } catch (error) {
    if (hasAwsErrorCode(error, 'NoSuchEntity')) return done('ALREADY_GONE');
    throw toDomainError(error, `iam:${deletion.action}`);
  }
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
 * account is then KEY_IN_USE.
 */
export async function remediatePlannedAccount(
  iam: IAMClient,
  planned: PlannedAccount,
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
  const actions: DeleteAction[] = [];
  for (const deletion of planned.deletions) actions.push(await perform(iam, deletion));
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
