import { InvalidInputError } from '../root-access/errors';

/**
 * Small readers for handler events. The workflow validated the request
 * already (ValidateRequest); handlers check again what they use, because
 * they can also be invoked by hand.
 */

export type EventFields = Readonly<Record<string, unknown>>;

export function eventObject(event: unknown): EventFields {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new InvalidInputError('event', 'must be a JSON object');
  }
  return event as EventFields;
}

export function optionalBoolean(event: EventFields, field: string): boolean | undefined {
  const value = event[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw new InvalidInputError(field, `must be true or false, got ${typeof value}`);
  return value;
}

export function oneOf<T extends string>(event: EventFields, field: string, allowed: readonly T[]): T {
  const value = event[field];
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) {
    throw new InvalidInputError(
      field,
      `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`,
    );
  }
  return match;
}

/** A digest from the READ step: a string, or null when there was no policy. */
export function expectedDigest(event: EventFields, field = 'expectedPolicySha256'): string | null {
  const value = event[field];
  if (value === null) return null;
  if (typeof value !== 'string') {
    throw new InvalidInputError(field, 'is required: the policySha256 returned by the READ step, or null');
  }
  return value;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An optional SHA-256 digest in hex (e.g. an approved plan's credentialsDigest). */
export function optionalDigest(event: EventFields, field: string): string | undefined {
  const value = event[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !SHA256_HEX.test(value)) {
    throw new InvalidInputError(field, 'must be a SHA-256 digest: 64 lowercase hexadecimal characters');
  }
  return value;
}
