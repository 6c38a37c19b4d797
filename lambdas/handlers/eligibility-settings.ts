import type { EligibilityConfig } from '../root-access/eligibility';
import { ACCOUNT_ID_PATTERN as ACCOUNT_ID, OU_ID_PATTERN as OU_ID } from '../root-access/id-patterns';
import { ConfigurationError, listVariable, optionalVariable } from '../shared/env';
import { ELIGIBILITY_VARIABLES } from '../shared/function-variables';

const {
  managementAccountId: MANAGEMENT,
  protectedAccountIds: ACCOUNTS,
  protectedOuIds: OUS,
} = ELIGIBILITY_VARIABLES;

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
  const managementAccountId = optionalVariable(env, MANAGEMENT);
  if (managementAccountId !== undefined) {
    checked(MANAGEMENT, [managementAccountId], ACCOUNT_ID, 'a 12-digit account id');
  }
  return {
    ...(managementAccountId !== undefined && { managementAccountId }),
    protectedAccountIds: checked(ACCOUNTS, listVariable(env, ACCOUNTS), ACCOUNT_ID, 'a 12-digit account id'),
    protectedOuIds: checked(OUS, listVariable(env, OUS), OU_ID, 'an ou-... id'),
  };
}
