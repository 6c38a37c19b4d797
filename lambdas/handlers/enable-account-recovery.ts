import { enableAccountRecovery, type RecoveryOutcome } from '../root-access/account-recovery';
import { validateAccountId } from '../root-access/validation';
import { eventObject } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { containerRootTaskRuntime, withRootSession, type RuntimeProvider } from '../shared/root-task-runtime';

export interface EnableAccountRecoveryResult {
  readonly accountId: string;
  readonly sessionAccessKeyId: string;
  readonly outcome: RecoveryOutcome;
}

/** EnableAccountRecovery: `{ accountId }` → ENABLED or ALREADY_ENABLED. */
export function createEnableAccountRecoveryHandler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler(
    'EnableAccountRecovery',
    async (event: unknown): Promise<EnableAccountRecoveryResult> => {
      const accountId = validateAccountId(eventObject(event).accountId);
      return withRootSession(runtime(), accountId, 'IAMCreateRootUserPassword', async (session) => ({
        accountId,
        sessionAccessKeyId: session.accessKeyId,
        outcome: await enableAccountRecovery(session.iam()),
      }));
    },
  );
}

export const handler = createEnableAccountRecoveryHandler();
