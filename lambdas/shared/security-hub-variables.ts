/**
 * The variables that turn Security Hub findings on for AuditAccountBatch,
 * set by the stack (lib/root-task-functions.ts) together with the grants and
 * read by the handler (lambdas/handlers/audit-findings-publisher.ts).
 */
/** `true` when the option `securityHubFindings` is on. */
export const SECURITY_HUB_FINDINGS_VARIABLE = 'SECURITY_HUB_FINDINGS';
/** The service's account: the findings go under its default product. */
export const SECURITY_HUB_ACCOUNT_VARIABLE = 'SECURITY_HUB_ACCOUNT_ID';
