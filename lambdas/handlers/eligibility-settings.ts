import type { EligibilityConfig } from '../root-access/eligibility';
import { ACCOUNT_ID_PATTERN as ACCOUNT_ID, OU_ID_PATTERN as OU_ID } from '../root-access/id-patterns';
import { ConfigurationError, listVariable, optionalVariable } from '../shared/env';

type Env = Readonly<Record<string, string | undefined>>;

function checked(name: string, values: string[], pattern: RegExp, what: string): string[] {
  const bad = values.find((value) => !pattern.test(value));
  if (bad !== undefined)
    throw new ConfigurationError(`environment variable ${name}: "${bad}" is not ${what}`);
  return values;
}

/**
 * MANAGEMENT_ACCOUNT_ID, PROTECTED_ACCOUNT_IDS and PROTECTED_OU_IDS. A typo
 * in a protected id would silently unprotect an account, so malformed ids
 * stop the function instead.
 */
export function eligibilityConfigFromEnv(env: Env): EligibilityConfig {
  const managementAccountId = optionalVariable(env, 'MANAGEMENT_ACCOUNT_ID');
  if (managementAccountId !== undefined) {
    checked('MANAGEMENT_ACCOUNT_ID', [managementAccountId], ACCOUNT_ID, 'a 12-digit account id');
  }
  return {
    ...(managementAccountId !== undefined && { managementAccountId }),
    protectedAccountIds: checked(
      'PROTECTED_ACCOUNT_IDS',
      listVariable(env, 'PROTECTED_ACCOUNT_IDS'),
      ACCOUNT_ID,
      'a 12-digit account id',
    ),
    protectedOuIds: checked('PROTECTED_OU_IDS', listVariable(env, 'PROTECTED_OU_IDS'), OU_ID, 'an ou-... id'),
  };
}
