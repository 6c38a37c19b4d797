import { ExecutionTimeoutError, type RunOptions } from './library';
import type { CompiledMachine } from './compile';
import { contextState } from './context-references';
import { HISTORY_EVENT_LIMIT, HistoryRecorder } from './history';
import type { ExecutionRecord, Json } from './types';

export type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

interface StopReason {
  readonly type: 'ExecutionAborted' | 'ExecutionFailed';
  readonly error: string;
  readonly cause: string;
}

/** An execution while it runs: what its task handlers need to report into. */
export interface RunningExecution {
  readonly record: ExecutionRecord;
  readonly recorder: HistoryRecorder;
  readonly compiled: CompiledMachine;
  readonly stateMachineName: string;
  readonly roleArn: string;
  /** The Context Object (`$$`) as AWS gives it, minus State and Task. */
  readonly context: Record<string, unknown>;
  /** Aborted when the execution is stopped: running Distributed Map children stop too. */
  readonly signal: AbortSignal;
  readonly done: Promise<ExecutionRecord>;
  stop(reason: StopReason): void;
}

export interface LaunchOptions {
  readonly record: ExecutionRecord;
  readonly compiled: CompiledMachine;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly handlersFor: (execution: RunningExecution) => TaskHandlers;
  /** Replaces every Retry interval and Wait duration (tests); AWS's own values otherwise. */
  readonly retryDelayMs?: number;
  readonly waitOverrideMs?: number;
}

function overridesFor(
  names: readonly string[],
  value: number | undefined,
): Record<string, number> | undefined {
  return value === undefined ? undefined : Object.fromEntries(names.map((name) => [name, value]));
}

/** Starts the library's run of a compiled machine and records it until it ends. */
export function launchExecution(options: LaunchOptions): RunningExecution {
  const { record, compiled } = options;
  const controller = new AbortController();
  let stopReason: StopReason | undefined;
  const context = {
    Execution: {
      Id: record.executionArn,
      Name: record.name,
      RoleArn: options.roleArn,
      StartTime: record.startDate.toISOString(),
      RedriveCount: 0,
    },
    StateMachine: { Id: record.stateMachineArn, Name: options.stateMachineName },
    // Shared by reference through the library's copies of the context.
    State: contextState(),
  };
  const execution: RunningExecution = {
    record,
    compiled,
    stateMachineName: options.stateMachineName,
    roleArn: options.roleArn,
    context,
    signal: controller.signal,
    recorder: new HistoryRecorder(record, compiled.stateTypes, options.roleArn, () =>
      execution.stop({
        type: 'ExecutionFailed',
        error: 'States.Runtime',
        cause: `The execution reached the maximum number of history events (${HISTORY_EVENT_LIMIT}).`,
      }),
    ),
    done: Promise.resolve(record),
    stop(reason) {
      if (stopReason !== undefined || record.status !== 'RUNNING') return;
      stopReason = reason;
      controller.abort();
    },
  };
  const run = compiled.machine.run(JSON.parse(record.input) as Json, {
    overrides: {
      taskResourceLocalHandlers: options.handlersFor(execution),
      retryIntervalOverrides: overridesFor(compiled.statesWithRetry, options.retryDelayMs),
      waitTimeOverrides: overridesFor(compiled.waitStates, options.waitOverrideMs),
    },
    context,
    noThrowOnAbort: true,
  });
  controller.signal.addEventListener('abort', () => run.abort());
  const consuming = (async () => {
    for await (const event of run.eventLogs) execution.recorder.consume(event);
  })();
  const done = (async () => {
    let output: Json | undefined;
    let thrown: unknown;
    try {
      output = await run.result;
    } catch (error) {
      thrown = error;
    }
    await consuming;
    finish(execution, stopReason, output, thrown);
    return record;
  })();
  return Object.assign(execution, { done });
}

function finish(
  execution: RunningExecution,
  stopReason: StopReason | undefined,
  output: Json | undefined,
  thrown: unknown,
): void {
  const { record, recorder } = execution;
  const last = recorder.lastEvent();
  if (stopReason !== undefined) {
    recorder.close(stopReason.type, stopReason.error, stopReason.cause);
    record.status = stopReason.type === 'ExecutionAborted' ? 'ABORTED' : 'FAILED';
    record.error = stopReason.error;
    record.cause = stopReason.cause;
  } else if (last?.type === 'ExecutionSucceeded') {
    record.status = 'SUCCEEDED';
    record.output = JSON.stringify(output ?? null);
  } else if (last?.type === 'ExecutionFailed') {
    record.status = 'FAILED';
    record.error = String(last.details?.error);
    record.cause = String(last.details?.cause);
  } else if (thrown instanceof ExecutionTimeoutError) {
    recorder.close('ExecutionTimedOut', 'States.Timeout', 'The execution timed out (TimeoutSeconds).');
    record.status = 'TIMED_OUT';
    record.error = 'States.Timeout';
  } else {
    const cause = thrown instanceof Error ? thrown.message : 'the execution ended without a result';
    recorder.close('ExecutionFailed', 'States.Runtime', cause);
    record.status = 'FAILED';
    record.error = 'States.Runtime';
    record.cause = cause;
  }
  record.stopDate = new Date();
}
