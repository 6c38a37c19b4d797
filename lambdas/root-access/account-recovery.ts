import { CreateLoginProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import { hasAwsErrorCode, toDomainError } from './aws-error-mapping';

export type RecoveryOutcome = 'ENABLED' | 'ALREADY_ENABLED';

/**
 * Re-enables account recovery for the root user of the account in the session
 * (task IAMCreateRootUserPassword): CreateLoginProfile with neither UserName
 * nor Password creates a login profile without a usable password, so the
 * owner of the root mailbox can set one through "Forgot password". Nobody
 * learns a password. A second call answers EntityAlreadyExists, which is
 * the goal already met.
 */
export async function enableAccountRecovery(iam: IAMClient): Promise<RecoveryOutcome> {
  try {
    await iam.send(new CreateLoginProfileCommand({}));
    return 'ENABLED';
  } catch (error) {
    if (hasAwsErrorCode(error, 'EntityAlreadyExists')) return 'ALREADY_ENABLED';
    throw toDomainError(error, 'iam:CreateLoginProfile');
  }
}
