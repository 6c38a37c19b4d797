import { deleteRootCredentials, type DeleteAction } from '../root-access/delete-credentials';
import type { Posture } from '../root-access/posture';
import { type KeptAccessKey } from '../root-access/remediation-plan';
import { validateAccountId, validateKeyInUseDays } from '../root-access/validation';
import { eventObject, optionalBoolean, optionalDigest } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { DELETE_FUNCTION_WORKFLOW, publishWorkflowMetrics } from '../shared/metrics';
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
  /** Access keys used within keyInUseDays, left in place (empty when keys in use were included). */
  readonly keptKeys: readonly KeptAccessKey[];
  /** keptKeys is not empty: the workflows record the run as KEY_IN_USE. */
  readonly keyInUse: boolean;
}

/**
 * DeleteRootCredentials: `{ accountId, dryRun?, keyInUseDays?, includeKeysInUse?,
 * expectedCredentialsDigest? }` → before, actions, after, keptKeys. Keys used
 * within keyInUseDays (default 90) are kept unless includeKeysInUse is true:
 * an event that says nothing never deletes a key in use. With a digest (an
 * approved plan), the delete refuses credentials that changed since the plan;
 * a session reopened after the check passed finishes the delete without
 * comparing again.
 */
export function createDeleteHandler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler(
    DELETE_FUNCTION_WORKFLOW,
    async (event: unknown): Promise<DeleteRootCredentialsResult> => {
      const fields = eventObject(event);
      const accountId = validateAccountId(fields.accountId);
      const dryRun = optionalBoolean(fields, 'dryRun') ?? false;
      const days = validateKeyInUseDays(fields.keyInUseDays);
      const includeKeysInUse = optionalBoolean(fields, 'includeKeysInUse') ?? false;
      const keepKeysInUse = includeKeysInUse ? undefined : { days, now: new Date() };
      const expected = optionalDigest(fields, 'expectedCredentialsDigest');
      let planConfirmed = false;
      const { result, sessionAccessKeyId, sessionsReopened } = await withRootSessionReopenedOnExpiry(
        runtime(),
        accountId,
        'IAMDeleteRootUserCredentials',
        (session) =>
          deleteRootCredentials(session.iam(), {
            dryRun,
            ...(keepKeysInUse && { keepKeysInUse }),
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
      const keyInUse = result.keptKeys.length > 0;
      publishWorkflowMetrics(DELETE_FUNCTION_WORKFLOW, {
        remediated: remediated ? 1 : 0,
        sessionsOpened: 1 + sessionsReopened.length,
        // A dry run keeps nothing: only a real run's kept key raises the alarm.
        keysInUseKept: dryRun ? 0 : result.keptKeys.length,
      });
      logger.info('root credentials processed', {
        accountId,
        dryRun,
        actions: result.actions.map(({ action, result: outcome }) => `${action}:${outcome}`),
        keptKeys: result.keptKeys.map((key) => key.accessKeyId),
      });
      return { accountId, dryRun, sessionAccessKeyId, sessionsReopened, ...result, keyInUse };
    },
  );
}

export const handler = createDeleteHandler();
