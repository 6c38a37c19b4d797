import { InvalidInputError } from '../lambdas/root-access/errors';
import { UsageError } from './errors';

/**
 * The workflow's request fields and the flags that feed them. Validators
 * name fields (`bucketName`); an on-call engineer typed flags (`--bucket`),
 * so every validation message is rewritten to name the flag.
 */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  accountId: '--account',
  accountIds: '--account',
  bucketName: '--bucket',
  queueUrl: '--queue-url',
  replacementPolicy: '--replace-with',
  action: '--delete | --replace-with',
  reason: '--reason',
  ticket: '--ticket',
  dryRun: '--dry-run',
  backupId: '--backup',
  outcome: '--outcome',
  since: '--since',
  format: '--format',
  output: '--output',
  timeout: '--timeout',
  limit: '--limit',
  keyInUseDays: '--key-in-use-days',
  includeKeysInUse: '--include-keys-in-use',
  canaryWaveSizes: '--canary',
  wavePercent: '--wave-percent',
  maxPostureAgeHours: '--max-posture-age-hours',
};

export function flagOfField(field: string): string {
  return FLAG_OF_FIELD[field] ?? field;
}

/** The problem part of an InvalidInputError message (after "<field>: "). */
function problemOf(error: InvalidInputError): string {
  const prefix = `${error.field}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

export function usageErrorFromInvalidInput(error: InvalidInputError): UsageError {
  return new UsageError(flagOfField(error.field), problemOf(error));
}

/**
 * Runs a domain validator and reports its failure under the flag the user
 * typed. `flag` overrides the mapping when one field is fed by several flags.
 */
export function checkFlag<T>(validate: () => T, flag?: string): T {
  try {
    return validate();
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw flag === undefined ? usageErrorFromInvalidInput(error) : new UsageError(flag, problemOf(error));
    }
    throw error;
  }
}
