/**
 * The environment variables the stack sets and the handlers read, named once
 * for both sides (set by lib/function-bindings.ts, read in lambdas/handlers/
 * and lambdas/shared/). Security Hub's are in security-hub-variables.ts.
 */
/** The results table's name, set with the table's grant. */
export const RESULTS_TABLE_VARIABLE = 'RESULTS_TABLE_NAME';
/** AssumeRoot DurationSeconds, set on root-task functions when configured. */
export const ROOT_SESSION_DURATION_VARIABLE = 'ROOT_SESSION_DURATION_SECONDS';
/** The eligibility settings of the functions that decide which accounts may be targeted. */
export const ELIGIBILITY_VARIABLES = {
  managementAccountId: 'MANAGEMENT_ACCOUNT_ID',
  protectedAccountIds: 'PROTECTED_ACCOUNT_IDS',
  protectedOuIds: 'PROTECTED_OU_IDS',
} as const;
