import { deleteRootCredentials, type DeleteAction } from '../root-access/delete-credentials';
import type { Posture } from '../root-access/posture';
import { validateAccountId } from '../root-access/validation';
import { eventObject, optionalBoolean } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { publishWorkflowMetrics } from '../shared/metrics';
import { logger } from '../shared/logger';
import { containerRootTaskRuntime, withRootSession, type RuntimeProvider } from '../shared/root-task-runtime';

export interface DeleteRootCredentialsResult {
  readonly accountId: string;
  readonly dryRun: boolean;
  readonly sessionAccessKeyId: string;
  readonly before: Posture;
  readonly actions: readonly DeleteAction[];
  readonly after: Posture;
}

/** DeleteRootCredentials: `{ accountId, dryRun? }` → before, actions, after. */
export function createDeleteHandler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler(
    'DeleteRootCredentials',
    async (event: unknown): Promise<DeleteRootCredentialsResult> => {
      const fields = eventObject(event);
      const accountId = validateAccountId(fields.accountId);
      const dryRun = optionalBoolean(fields, 'dryRun') ?? false;
      return withRootSession(runtime(), accountId, 'IAMDeleteRootUserCredentials', async (session) => {
        const result = await deleteRootCredentials(session.iam(), { dryRun });
        const remediated = !dryRun && result.before.credentialsPresent && !result.after.credentialsPresent;
        publishWorkflowMetrics('DeleteRootCredentials', {
          remediated: remediated ? 1 : 0,
          sessionsOpened: 1,
        });
        logger.info('root credentials processed', {
          accountId,
          dryRun,
          actions: result.actions.map(({ action, result: outcome }) => `${action}:${outcome}`),
        });
        return { accountId, dryRun, sessionAccessKeyId: session.accessKeyId, ...result };
      });
    },
  );
}

export const handler = createDeleteHandler();
