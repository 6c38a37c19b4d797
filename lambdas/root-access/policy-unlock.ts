import { InvalidInputError } from './errors';
import {
  assertUnchangedSinceBackup,
  policySha256,
  type ApplyUnlockInput,
  type PolicySnapshot,
  type UnlockOutcome,
} from './policy-digest';

/**
 * The unlock run shared by bucket and queue policies (unlock-s3.ts,
 * unlock-sqs.ts): read the policy, check it is still the one backed up,
 * delete or replace it. Each resource kind supplies its own AWS calls.
 */
export interface ResourcePolicy {
  readonly resourceArn: string;
  /** The policy as stored, null when the resource has none. */
  read(): Promise<string | null>;
  delete(): Promise<void>;
  replace(policy: string): Promise<void>;
}

/** The policy as stored (null when there is none) and its digest. */
export async function readPolicySnapshot(resource: ResourcePolicy): Promise<PolicySnapshot> {
  const policy = await resource.read();
  return { resourceArn: resource.resourceArn, policy, policySha256: policySha256(policy) };
}

/**
 * Deletes or replaces the policy, after checking that it is still the one
 * that was backed up. Deleting an absent policy changes nothing.
 */
export async function applyPolicyUnlock(
  resource: ResourcePolicy,
  input: ApplyUnlockInput,
): Promise<UnlockOutcome> {
  checkApplyInput(input);
  const policy = await resource.read();
  assertUnchangedSinceBackup(resource.resourceArn, policy, input.expectedPolicySha256);
  if (input.action === 'DELETE') {
    if (policy === null) return 'NOTHING_TO_UNLOCK';
    await resource.delete();
    return 'DELETED';
  }
  await resource.replace(input.replacementPolicy ?? '');
  return 'REPLACED';
}

/**
 * Checks the shape of an apply request before any AWS call: a known action,
 * a replacement document for REPLACE, and a digest (or null) from the read.
 */
function checkApplyInput(input: ApplyUnlockInput): void {
  if (input.action !== 'DELETE' && input.action !== 'REPLACE') {
    throw new InvalidInputError('action', `must be DELETE or REPLACE, got ${JSON.stringify(input.action)}`);
  }
  if (
    input.action === 'REPLACE' &&
    (typeof input.replacementPolicy !== 'string' || input.replacementPolicy.trim() === '')
  ) {
    throw new InvalidInputError('replacementPolicy', 'is required when action is REPLACE');
  }
  const expected: unknown = input.expectedPolicySha256;
  if (expected !== null && (typeof expected !== 'string' || !/^[0-9a-f]{64}$/.test(expected))) {
    throw new InvalidInputError(
      'expectedPolicySha256',
      'must be the 64-hex-digit SHA-256 from the read, or null',
    );
  }
}
