import { deleteRootCredentials, type DeleteAction } from '../root-access/delete-credentials';
import type { Posture } from '../root-access/posture';
import { validateAccountId } from '../root-access/validation';
import { eventObject, optionalBoolean, optionalDigest } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { publishWorkflowMetrics } from '../shared/metrics';
import { logger } from '../shared/logger';
import {
  containerRootTaskRuntime,
  withRootSessionReopenedOnExpiry,
  type ReopenedSession,
  type RuntimeProvider,
} from '../shared/root-task-runtime';

export interface DeleteRootCredentialsResult {
  readonly accountId: string;
  readonly dryRun: boolean;
  readonly sessionAccessKeyId: string;
  /** A session that expired mid-delete and the one that finished it (usually empty). */
  readonly sessionsReopened: readonly ReopenedSession[];
  readonly before: Posture;
  readonly actions: readonly DeleteAction[];
  readonly after: Posture;
}

/**
 * DeleteRootCredentials: `{ accountId, dryRun?, expectedCredentialsDigest? }`
 * → before, actions, after. With a digest (an approved plan), the delete
 * refuses credentials that changed since the plan; a session reopened after
 * the check passed finishes the delete without comparing again.
 */
export function createDeleteHandler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler(
    'DeleteRootCredentials',
    async (event: unknown): Promise<DeleteRootCredentialsResult> => {
      const fields = eventObject(event);
      const accountId = validateAccountId(fields.accountId);
      const dryRun = optionalBoolean(fields, 'dryRun') ?? false;
      const expected = optionalDigest(fields, 'expectedCredentialsDigest');
      let planConfirmed = false;
      const { result, sessionAccessKeyId, sessionsReopened } = await withRootSessionReopenedOnExpiry(
        runtime(),
        accountId,
        'IAMDeleteRootUserCredentials',
        (session) =>
          deleteRootCredentials(session.iam(), {
            dryRun,
            ...(expected === undefined || planConfirmed
              ? {}
              : {
                  expectedCredentialsDigest: expected,
                  onPlanConfirmed: () => {
                    planConfirmed = true;
                  },
                }),
          }),
      );
      const remediated = !dryRun && result.before.credentialsPresent && !result.after.credentialsPresent;
      publishWorkflowMetrics('DeleteRootCredentials', {
        remediated: remediated ? 1 : 0,
        sessionsOpened: 1 + sessionsReopened.length,
      });
      logger.info('root credentials processed', {
        accountId,
        dryRun,
        actions: result.actions.map(({ action, result: outcome }) => `${action}:${outcome}`),
      });
      return { accountId, dryRun, sessionAccessKeyId, sessionsReopened, ...result };
    },
  );
}

export const handler = createDeleteHandler();
