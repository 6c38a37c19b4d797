import { auditRootCredentials } from '../root-access/audit';
import type { Posture } from '../root-access/posture';
import { credentialsDigest } from '../root-access/remediation-plan';
import { validateAccountId } from '../root-access/validation';
import { eventObject, optionalBoolean } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { publishWorkflowMetrics } from '../shared/metrics';
import { containerRootTaskRuntime, withRootSession, type RuntimeProvider } from '../shared/root-task-runtime';

export interface AuditRootCredentialsResult {
  readonly accountId: string;
  readonly auditedAt: string;
  readonly sessionAccessKeyId: string;
  readonly posture: Posture;
  /** credentialsDigest(posture): what an approved delete compares before deleting anything. */
  readonly credentialsDigest: string;
}

/** AuditRootCredentials: `{ accountId, details? }` → the account's root posture. */
export function createAuditHandler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler('AuditRootCredentials', async (event: unknown): Promise<AuditRootCredentialsResult> => {
    const fields = eventObject(event);
    const accountId = validateAccountId(fields.accountId);
    const details = optionalBoolean(fields, 'details') ?? false;
    return withRootSession(runtime(), accountId, 'IAMAuditRootUserCredentials', async (session) => {
      const posture = await auditRootCredentials(session.iam(), { details });
      publishWorkflowMetrics('AuditRootCredentials', {
        accountsAudited: 1,
        withCredentials: posture.credentialsPresent ? 1 : 0,
        sessionsOpened: 1,
      });
      return {
        accountId,
        auditedAt: new Date().toISOString(),
        sessionAccessKeyId: session.accessKeyId,
        posture,
        credentialsDigest: credentialsDigest(posture),
      };
    });
  });
}

export const handler = createAuditHandler();
