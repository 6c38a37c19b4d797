import { createHash } from 'node:crypto';
import { PolicyChangedSinceBackupError } from './errors';

/**
 * What a read of a resource policy returns: the document exactly as AWS
 * returned it (the backup must restore it byte for byte) and its SHA-256,
 * which the apply step compares against to detect a change in between.
 */
export interface PolicySnapshot {
  readonly resourceArn: string;
  readonly policy: string | null;
  readonly policySha256: string | null;
}

export type UnlockAction = 'DELETE' | 'REPLACE';
export type UnlockOutcome = 'DELETED' | 'REPLACED' | 'NOTHING_TO_UNLOCK';

export interface ApplyUnlockInput {
  readonly action: UnlockAction;
  /** Required for REPLACE; validated by the caller (policy grammar, size). */
  readonly replacementPolicy?: string;
  /** The digest of the backed-up policy; null when the read found none. */
  readonly expectedPolicySha256: string | null;
}

/** Hex SHA-256 of the exact UTF-8 bytes of the policy string. */
export function policySha256(policy: string | null): string | null {
  return policy === null ? null : createHash('sha256').update(policy, 'utf8').digest('hex');
}

/**
 * Refuses to change a policy that is no longer the one backed up: the
 * backup would not restore what we are about to remove.
 */
export function assertUnchangedSinceBackup(
  resourceArn: string,
  current: string | null,
  expected: string | null,
): void {
  const actual = policySha256(current);
  if (actual !== expected) {
    throw new PolicyChangedSinceBackupError(
      `${resourceArn}: the policy changed since it was backed up (expected SHA-256 ${expected ?? 'none'}, found ${actual ?? 'none'})`,
    );
  }
}
