import { InvalidInputError } from './errors';
import type { ApplyUnlockInput } from './policy-digest';

/**
 * Checks the shape of an apply request before any AWS call: a known action,
 * a replacement document for REPLACE, and a digest (or null) from the read.
 */
export function checkApplyInput(input: ApplyUnlockInput): void {
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
