import { InvalidInputError } from '../root-access/errors';
import type { ApplyUnlockInput } from '../root-access/policy-digest';
import type { ResourceType } from '../root-access/policy-grammar';
import { validateReplacementPolicy } from '../root-access/validation';
import { expectedDigest, oneOf, type EventFields } from './event-fields';

export const UNLOCK_OPERATIONS = ['READ', 'APPLY'] as const;
export type UnlockOperation = (typeof UNLOCK_OPERATIONS)[number];

export function unlockOperation(fields: EventFields): UnlockOperation {
  return oneOf(fields, 'operation', UNLOCK_OPERATIONS);
}

/** The APPLY part of an unlock event, checked before the root session is opened. */
export function applyUnlockInput(fields: EventFields, resourceType: ResourceType): ApplyUnlockInput {
  const action = oneOf(fields, 'action', ['DELETE', 'REPLACE'] as const);
  const expectedPolicySha256 = expectedDigest(fields);
  if (action === 'DELETE') {
    if (fields.replacementPolicy !== undefined && fields.replacementPolicy !== null) {
      throw new InvalidInputError('replacementPolicy', 'must be absent when action is DELETE');
    }
    return { action, expectedPolicySha256 };
  }
  if (fields.replacementPolicy === undefined || fields.replacementPolicy === null) {
    throw new InvalidInputError('replacementPolicy', 'is required when action is REPLACE');
  }
  return {
    action,
    replacementPolicy: validateReplacementPolicy(fields.replacementPolicy, resourceType),
    expectedPolicySha256,
  };
}
