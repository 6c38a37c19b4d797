import { randomUUID } from 'node:crypto';
import type { DistributedMapSpec } from './compile';
import { assertPayloadSize, StatesError } from './errors';
import { evaluatePath, evaluateTemplate } from './evaluate';
import type { RunningExecution } from './execution';
import type { ExecutionStore } from './store';
import type { ExecutionRecord, Json, MapRunRecord } from './types';

export interface MapChild {
  readonly record: ExecutionRecord;
  readonly done: Promise<ExecutionRecord>;
  abort(): void;
}

export interface MapHost {
  readonly store: ExecutionStore;
  /** Used when the state sets no MaxConcurrency (AWS would run up to 10,000 children). */
  readonly defaultConcurrency: number;
  readonly arnPrefix: string;
  launchChild(
    parent: RunningExecution,
    spec: DistributedMapSpec,
    mapRun: MapRunRecord,
    name: string,
    input: Json,
  ): MapChild;
}

const THRESHOLD_ERROR = 'States.ExceedToleratedFailureThreshold';

function labelOf(spec: DistributedMapSpec): string {
  return spec.label ?? spec.stateName.replace(/[^A-Za-z0-9_-]/g, '-');
}

async function concurrencyOf(
  spec: DistributedMapSpec,
  input: Json,
  context: Record<string, unknown>,
  fallback: number,
) {
  const value =
    spec.maxConcurrencyPath === undefined
      ? spec.maxConcurrency
      : await evaluatePath(spec.maxConcurrencyPath, input, context);
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) {
    throw new StatesError(
      'States.Runtime',
      `MaxConcurrency must be a non-negative integer, got ${JSON.stringify(value)}`,
    );
  }
  return value === undefined || value === 0 ? fallback : value;
}

/**
 * A Distributed Map run as AWS runs it: one child workflow execution per
 * item (its own history and Context Object), at most MaxConcurrency at a
 * time, a map run with item counts, and, since no failure is tolerated, the
 * first failed child fails the run with States.ExceedToleratedFailureThreshold.
 */
export async function runDistributedMap(
  host: MapHost,
  parent: RunningExecution,
  spec: DistributedMapSpec,
  input: Json,
): Promise<Json> {
  const items =
    spec.itemsPath === undefined ? input : await evaluatePath(spec.itemsPath, input, parent.context);
  if (!Array.isArray(items)) {
    throw new StatesError('States.Runtime', `the items of map "${spec.stateName}" are not an array`);
  }
  const maxConcurrency = await concurrencyOf(spec, input, parent.context, host.defaultConcurrency);
  const label = labelOf(spec);
  const mapRun: MapRunRecord = {
    mapRunArn: `${host.arnPrefix}:mapRun:${parent.stateMachineName}/${label}:${randomUUID()}`,
    executionArn: parent.record.executionArn,
    stateMachineArn: `${host.arnPrefix}:stateMachine:${parent.stateMachineName}/${label}`,
    stateName: spec.stateName,
    maxConcurrency,
    startDate: new Date(),
    status: 'RUNNING',
    itemCounts: {
      total: items.length,
      pending: items.length,
      running: 0,
      succeeded: 0,
      failed: 0,
      aborted: 0,
    },
    childExecutionArns: [],
  };
  host.store.addMapRun(mapRun);
  parent.record.mapRunArns.push(mapRun.mapRunArn);
  parent.recorder.taskEvent(spec.stateName, 'MapRunStarted', 'mapRunStartedEventDetails', {
    mapRunArn: mapRun.mapRunArn,
  });

  const counts = mapRun.itemCounts;
  const results: Json[] = new Array<Json>(items.length).fill(null);
  const running = new Set<MapChild>();
  let next = 0;
  let failure: StatesError | undefined;
  const stopAll = () => running.forEach((child) => child.abort());
  parent.signal.addEventListener('abort', stopAll);

  const worker = async (): Promise<void> => {
    while (failure === undefined && !parent.signal.aborted && next < items.length) {
      const index = next;
      next += 1;
      const item = items[index] as Json;
      let childInput: Json;
      try {
        const context = { ...parent.context, Map: { Item: { Index: index, Value: item } } };
        childInput =
          spec.itemSelector === undefined ? item : await evaluateTemplate(spec.itemSelector, input, context);
      } catch (error) {
        failure ??= error instanceof StatesError ? error : new StatesError('States.Runtime', String(error));
        break;
      }
      counts.pending -= 1;
      counts.running += 1;
      const child = host.launchChild(parent, spec, mapRun, randomUUID(), childInput);
      mapRun.childExecutionArns.push(child.record.executionArn);
      running.add(child);
      const record = await child.done;
      running.delete(child);
      counts.running -= 1;
      if (record.status === 'SUCCEEDED') {
        counts.succeeded += 1;
        results[index] = JSON.parse(record.output ?? 'null') as Json;
      } else if (record.status === 'ABORTED') {
        counts.aborted += 1;
      } else {
        counts.failed += 1;
        failure ??= new StatesError(
          THRESHOLD_ERROR,
          'The specified tolerated failure threshold was exceeded',
        );
        stopAll();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(maxConcurrency, items.length) }, worker));
  } finally {
    parent.signal.removeEventListener('abort', stopAll);
  }
  mapRun.stopDate = new Date();
  if (parent.signal.aborted) {
    mapRun.status = 'ABORTED';
    throw new StatesError('States.Runtime', 'the execution was stopped');
  }
  if (failure !== undefined) {
    mapRun.status = 'FAILED';
    parent.recorder.taskEvent(spec.stateName, 'MapRunFailed', 'mapRunFailedEventDetails', {
      error: failure.name,
      cause: failure.message,
    });
    throw failure;
  }
  mapRun.status = 'SUCCEEDED';
  parent.recorder.taskEvent(spec.stateName, 'MapRunSucceeded');
  assertPayloadSize(JSON.stringify(results), 'output of the Distributed Map');
  return results;
}
