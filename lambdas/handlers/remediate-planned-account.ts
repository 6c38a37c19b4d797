import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '../root-access/errors';
import type { Posture } from '../root-access/posture';
import { remediatePlannedAccount, type PlannedAccountOutcome } from '../root-access/remediation-run';
import { plannedAccountOf } from '../root-access/saved-plan';
import { validateAccountId, validateKeyInUseDays } from '../root-access/validation';
import { eventObject } from '../shared/event-fields';
import { requireVariable } from '../shared/env';
import { RESULTS_TABLE_VARIABLE } from '../shared/function-variables';
import { perContainer, wrapHandler } from '../shared/handler';
import { logger } from '../shared/logger';
import { publishWorkflowMetrics } from '../shared/metrics';
import {
  containerRootTaskRuntime,
  sharedClientConfig,
  withRootSessionReopenedOnExpiry,
  type RootTaskRuntime,
} from '../shared/root-task-runtime';
import { planKey, plannedAccountKey } from '../../lib/results-table-keys';

/**
 * RemediatePlannedAccount: one account of a wave of the Remediate
 * organization workflow. Event `{ planId, wave, accountId, keyInUseDays?,
 * keysInUseApproved? }`; the planned
 * deletions are read from the saved plan (never from the event, which a
 * person could edit). Returns the outcome and the run record's JSON
 * fields, ready to store; only the root session's access key id leaves.
 */
export interface RemediatePlannedAccountResult {
  readonly accountId: string;
  readonly outcome: PlannedAccountOutcome;
  readonly outcomeReason: string;
  readonly after: Posture;
  readonly record: {
    readonly before: string;
    readonly actions: string;
    readonly after: string;
    readonly sessionAccessKeyIds: string;
    readonly sessionsReopened: string;
    readonly keptKeys: string;
  };
}

export interface RemediatePlannedAccountDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly runtime: RootTaskRuntime;
  readonly now?: () => Date;
}

function remediatePlannedAccountDepsFromEnv(): RemediatePlannedAccountDeps {
  const runtime = containerRootTaskRuntime();
  return {
    documentClient: DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: runtime.region, ...sharedClientConfig() }),
    ),
    tableName: requireVariable(process.env, RESULTS_TABLE_VARIABLE),
    runtime,
  };
}

export function createRemediatePlannedAccountHandler(
  provideDeps: () => RemediatePlannedAccountDeps = perContainer(remediatePlannedAccountDepsFromEnv),
) {
  return wrapHandler(
    'RemediatePlannedAccount',
    async (event: unknown): Promise<RemediatePlannedAccountResult> => {
      const fields = eventObject(event);
      const deps = provideDeps();
      const accountId = validateAccountId(fields.accountId);
      const { planId, wave } = fields;
      if (typeof planId !== 'string' || planId === '')
        throw new InvalidInputError('planId', 'must be a non-empty string');
      if (typeof wave !== 'number' || !Number.isInteger(wave) || wave < 1)
        throw new InvalidInputError('wave', 'must be a whole number from 1');
      const { Item } = await deps.documentClient.send(
        new GetCommand({
          TableName: deps.tableName,
          Key: { PK: planKey(planId), SK: plannedAccountKey(wave, accountId) },
          ConsistentRead: true,
        }),
      );
      const planned = plannedAccountOf(Item, accountId);
      const keysInUse = {
        days: validateKeyInUseDays(fields.keyInUseDays),
        now: (deps.now ?? (() => new Date()))(),
        // Absent or anything but true: not approved (an event that says nothing never deletes a key in use).
        approved: fields.keysInUseApproved === true,
      };
      const { result, sessionAccessKeyId, sessionsReopened } = await withRootSessionReopenedOnExpiry(
        deps.runtime,
        accountId,
        'IAMDeleteRootUserCredentials',
        (session) => remediatePlannedAccount(session.iam(), planned, keysInUse),
      );
      publishWorkflowMetrics('RemediatePlannedAccount', {
        remediated: result.outcome === 'SKIPPED' ? 0 : 1,
        sessionsOpened: 1 + sessionsReopened.length,
      });
      logger.info('planned account processed', {
        accountId,
        outcome: result.outcome,
        actions: result.actions.map(({ action, result: done }) => `${action}:${done}`),
      });
      return {
        accountId,
        outcome: result.outcome,
        outcomeReason: result.outcomeReason,
        after: result.after,
        record: {
          before: JSON.stringify(result.before),
          actions: JSON.stringify(result.actions),
          after: JSON.stringify(result.after),
          sessionAccessKeyIds: JSON.stringify([sessionAccessKeyId]),
          sessionsReopened: JSON.stringify(sessionsReopened),
          keptKeys: JSON.stringify(result.outcome === 'SKIPPED' ? [] : planned.keptKeys),
        },
      };
    },
  );
}

export const handler = createRemediatePlannedAccountHandler();
