import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidInputError } from '../root-access/errors';
import {
  judgeWave,
  MAX_SOAK_SECONDS,
  progressTotals,
  REMEDIATION_COUNTERS,
  waveProgress,
  type ProgressTotals,
  type WaveVerdict,
} from '../root-access/remediation-progress';
import { deletesKeysInUse, planItemState } from '../root-access/saved-plan';
import { eventObject, type EventFields } from '../shared/event-fields';
import { requireVariable, runtimeSettings } from '../shared/env';
import { RESULTS_TABLE_VARIABLE } from '../shared/function-variables';
import { perContainer, wrapHandler } from '../shared/handler';
import { sharedClientConfig } from '../shared/root-task-runtime';
import { KEY_PREFIX, planKey, wavePrefix } from '../../lib/results-table-keys';

/**
 * ProgressRemediation, between two waves of the Remediate organization
 * workflow: reads the saved plan's items (each carrying its account's
 * outcome once recorded), writes the progress by wave into the run's
 * summary item, judges the wave that just finished against the failure
 * threshold and names the next wave's accounts. Event: `{ planId,
 * finishedWave (0 before the first), failureThresholdPercent, summaryKey }`.
 */
export interface ProgressRemediationDeps {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

export interface ProgressRemediationResult {
  readonly finished: {
    readonly wave: number;
    readonly accounts: number;
    readonly failed: number;
  } & WaveVerdict;
  readonly stop: boolean;
  readonly stopReason: string;
  /** Whether a wave remains to run (false once stopped). */
  readonly more: boolean;
  /** The next wave, empty when none. */
  readonly next: {
    readonly wave: number;
    readonly kind: string;
    /** The sort key prefix of the wave's saved items (the workflow marks each account's outcome there). */
    readonly keyPrefix: string;
    readonly accountIds: string[];
  };
  readonly totals: ProgressTotals;
  /** Some account's plan deletes a key flagged in use: with approvals on, the first wave waits for an approver. */
  readonly deletesKeysInUse: boolean;
}

function integerField(fields: EventFields, field: string, min: number, max: number): number {
  const value = fields[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(field, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function textField(fields: EventFields, field: string): string {
  const value = fields[field];
  if (typeof value !== 'string' || value === '')
    throw new InvalidInputError(field, 'must be a non-empty string');
  return value;
}

function progressRemediationDepsFromEnv(): ProgressRemediationDeps {
  return {
    documentClient: DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: runtimeSettings().region, ...sharedClientConfig() }),
    ),
    tableName: requireVariable(process.env, RESULTS_TABLE_VARIABLE),
  };
}

export function createProgressRemediationHandler(
  provideDeps: () => ProgressRemediationDeps = perContainer(progressRemediationDepsFromEnv),
) {
  return wrapHandler('ProgressRemediation', async (event: unknown): Promise<ProgressRemediationResult> => {
    const fields = eventObject(event);
    const deps = provideDeps();
    const planId = textField(fields, 'planId');
    const finishedWave = integerField(fields, 'finishedWave', 0, 9999);
    const threshold = integerField(fields, 'failureThresholdPercent', 0, 100);
    integerField(fields, 'soakSeconds', 0, MAX_SOAK_SECONDS);
    const summaryKey = eventObject(fields.summaryKey);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await deps.documentClient.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :wave)',
          ExpressionAttributeValues: { ':pk': planKey(planId), ':wave': KEY_PREFIX.wave },
          ProjectionExpression: 'wave, waveKind, accountId, outcome, outcomeReason, account',
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start !== undefined);
    if (items.length === 0)
      throw new InvalidInputError('planId', `no saved plan ${planId} in the results table`);

    const waves = waveProgress(items.map(planItemState));
    const totals = progressTotals(waves);
    const finished = waves.find((wave) => wave.number === finishedWave);
    const verdict: WaveVerdict =
      finished === undefined
        ? { failureRatePercent: 0, stop: false, stopReason: '' }
        : judgeWave(finished, threshold);
    const upcoming = waves.find((wave) => wave.number > finishedWave);
    await deps.documentClient.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: { PK: textField(summaryKey, 'PK'), SK: textField(summaryKey, 'SK') },
        UpdateExpression: `SET waves = :waves, planId = :plan, ${REMEDIATION_COUNTERS.map(
          (counter) => `#${counter} = :${counter}`,
        ).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(
          REMEDIATION_COUNTERS.map((counter) => [`#${counter}`, counter]),
        ),
        ExpressionAttributeValues: {
          ':waves': JSON.stringify(waves),
          ':plan': planId,
          ...Object.fromEntries(REMEDIATION_COUNTERS.map((counter) => [`:${counter}`, totals[counter]])),
        },
      }),
    );
    const more = !verdict.stop && upcoming !== undefined;
    return {
      finished: {
        wave: finishedWave,
        accounts: finished?.accounts ?? 0,
        failed: finished?.failed.length ?? 0,
        ...verdict,
      },
      stop: verdict.stop,
      stopReason: verdict.stopReason,
      more,
      next:
        more && upcoming !== undefined
          ? {
              wave: upcoming.number,
              kind: upcoming.kind,
              keyPrefix: wavePrefix(upcoming.number),
              accountIds: upcoming.notReached,
            }
          : { wave: 0, kind: '', keyPrefix: '', accountIds: [] },
      totals,
      deletesKeysInUse: items.some(deletesKeysInUse),
    };
  });
}

export const handler = createProgressRemediationHandler();
