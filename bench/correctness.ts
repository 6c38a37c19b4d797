/**
 * Did each strategy record every account, and record it right? The truth is
 * the sandbox's own root credentials, never what any strategy reported.
 */
import type { PostureFlags } from './types';

/** The sandbox's root credentials, reduced to what an audit reports. */
export interface TrueCredentials {
  readonly loginProfile?: unknown;
  readonly accessKeys: readonly unknown[];
  readonly signingCertificates: readonly unknown[];
  readonly mfaDevices: readonly { readonly assigned: boolean }[];
}

export function truePosture(credentials: TrueCredentials): PostureFlags {
  return {
    passwordPresent: credentials.loginProfile !== undefined,
    // Inactive keys and certificates are still credentials: the audit must see them.
    accessKeysPresent: credentials.accessKeys.length > 0,
    signingCertificatesPresent: credentials.signingCertificates.length > 0,
    mfaEnabled: credentials.mfaDevices.some((device) => device.assigned),
  };
}

export interface Correctness {
  /** Accounts that should have been recorded. */
  readonly expected: number;
  readonly correct: number;
  readonly wrong: number;
  readonly missing: number;
  /** Recorded accounts outside the expected set (e.g. a suspended or management account). */
  readonly unexpected: number;
  /** A few ids of each kind, for the report. */
  readonly wrongIds: readonly string[];
  readonly missingIds: readonly string[];
  readonly unexpectedIds: readonly string[];
}

const SAMPLE = 10;
const FIELDS: readonly (keyof PostureFlags)[] = [
  'passwordPresent',
  'accessKeysPresent',
  'signingCertificatesPresent',
  'mfaEnabled',
];

function samePosture(a: PostureFlags, b: PostureFlags): boolean {
  return FIELDS.every((field) => a[field] === b[field]);
}

/**
 * Compares recorded postures with the truth over `expected` accounts; when
 * a strategy ran on a sample, pass the sample as `expected`. A recorded
 * `null` is a record that could not be read: it counts as wrong, not missing.
 */
export function compareRecorded(
  truth: ReadonlyMap<string, PostureFlags>,
  recorded: ReadonlyMap<string, PostureFlags | null>,
  expected: Iterable<string> = truth.keys(),
): Correctness {
  const expectedSet = new Set(expected);
  const wrongIds: string[] = [];
  const missingIds: string[] = [];
  let correct = 0;
  for (const id of expectedSet) {
    const actual = truth.get(id);
    const seen = recorded.get(id);
    if (seen === undefined) missingIds.push(id);
    else if (seen !== null && actual !== undefined && samePosture(actual, seen)) correct += 1;
    else wrongIds.push(id);
  }
  const unexpectedIds = [...recorded.keys()].filter((id) => !expectedSet.has(id));
  return {
    expected: expectedSet.size,
    correct,
    wrong: wrongIds.length,
    missing: missingIds.length,
    unexpected: unexpectedIds.length,
    wrongIds: wrongIds.slice(0, SAMPLE),
    missingIds: missingIds.slice(0, SAMPLE),
    unexpectedIds: unexpectedIds.slice(0, SAMPLE),
  };
}

/** Posture as Rootkeeper stores it (architecture.md: the `posture` JSON attribute). */
export function postureFromRecord(json: string): PostureFlags | null {
  try {
    const value = JSON.parse(json) as Partial<Record<keyof PostureFlags, unknown>>;
    if (FIELDS.every((field) => typeof value[field] === 'boolean')) {
      return {
        passwordPresent: value.passwordPresent === true,
        accessKeysPresent: value.accessKeysPresent === true,
        signingCertificatesPresent: value.signingCertificatesPresent === true,
        mfaEnabled: value.mfaEnabled === true,
      };
    }
  } catch {
    // A posture that is not JSON is a wrong record, not a missing one.
  }
  return null;
}
