import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { publishAuditFindings, type AuditedAccount } from '../root-access/security-hub-findings';
import { booleanVariable, requireVariable } from '../shared/env';
import { logger } from '../shared/logger';
import { sharedClientConfig, type RootTaskRuntime } from '../shared/root-task-runtime';

import {
  SECURITY_HUB_ACCOUNT_VARIABLE,
  SECURITY_HUB_FINDINGS_VARIABLE,
} from '../shared/security-hub-variables';

/**
 * The Security Hub side of the organization audit (option
 * `securityHubFindings`): absent unless the stack set the variables, built
 * once per container.
 */

/** Publishes one shard's findings; resolves to the number of findings that failed (logged). */
export type PublishAuditFindings = (audited: readonly AuditedAccount[]) => Promise<number>;

type Env = Readonly<Record<string, string | undefined>>;

export function auditFindingsPublisherFromEnv(
  env: Env,
  runtime: Pick<RootTaskRuntime, 'region' | 'partition'>,
  now: () => Date = () => new Date(),
): PublishAuditFindings | undefined {
  if (!booleanVariable(env, SECURITY_HUB_FINDINGS_VARIABLE)) return undefined;
  const callerAccountId = requireVariable(env, SECURITY_HUB_ACCOUNT_VARIABLE);
  const securityHub = new SecurityHubClient({ region: runtime.region, ...sharedClientConfig() });
  return async (audited) => {
    const outcome = await publishAuditFindings(securityHub, audited, {
      partition: runtime.partition,
      region: runtime.region,
      callerAccountId,
      observedAt: now().toISOString(),
    });
    if (outcome.failed > 0) {
      logger.error('Security Hub findings not published; the postures are recorded', {
        findingsFailed: outcome.failed,
        error: outcome.error,
        failures: outcome.failures.slice(0, 10),
      });
    }
    return outcome.failed;
  };
}
