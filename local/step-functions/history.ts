import type { StateMachine } from './library';
import type { ExecutionRecord, HistoryEvent } from './types';

/** The event type aws-local-stepfunctions produces (not exported by name). */
export type LibraryEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** AWS fails an execution whose history reaches this many events. */
export const HISTORY_EVENT_LIMIT = 25_000;

interface PendingEvent {
  readonly type: string;
  readonly timestamp: Date;
  readonly detailsKey?: string;
  readonly details?: Record<string, unknown>;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/**
 * Builds an execution's history in Step Functions' vocabulary from the
 * library's event log. The library reports its events asynchronously, after
 * a task has already run; task-level events (LambdaFunctionScheduled,
 * TaskSucceeded, MapRunStarted…) are therefore buffered per state and written
 * once the library's own events have caught up (at the latest when it
 * reports that state's exit or failure), which keeps AWS's order:
 * TaskStateEntered, LambdaFunction…, TaskStateExited.
 */
export class HistoryRecorder {
  private readonly pending = new Map<string, PendingEvent[]>();
  private limitReached = false;
  /** Set once the execution's last event is written: later task events (a stopped execution's) are dropped. */
  private ended = false;

  constructor(
    private readonly record: ExecutionRecord,
    private readonly stateTypes: ReadonlyMap<string, string>,
    private readonly roleArn: string,
    private readonly onHistoryLimit: () => void,
  ) {}

  /** A task-level event of a state that is running now. */
  taskEvent(stateName: string, type: string, detailsKey?: string, details?: Record<string, unknown>): void {
    if (this.ended) return;
    const queue = this.pending.get(stateName) ?? [];
    queue.push({ type, timestamp: new Date(), detailsKey, details });
    this.pending.set(stateName, queue);
    // By the next macrotask the library's queued events (this state's
    // StateEntered among them) have been consumed: writing the task event
    // then keeps the order and shows a running execution's progress.
    setImmediate(() => this.flush(stateName));
  }

  private add(event: PendingEvent): void {
    const history = this.record.history;
    const last = history[history.length - 1];
    const entry: HistoryEvent = { ...event, id: history.length + 1, previousEventId: last?.id ?? 0 };
    history.push(entry);
    if (history.length >= HISTORY_EVENT_LIMIT && !this.limitReached) {
      this.limitReached = true;
      this.onHistoryLimit();
    }
  }

  private flush(stateName?: string): void {
    if (this.ended) return;
    const names = stateName === undefined ? [...this.pending.keys()] : [stateName];
    for (const name of names) {
      for (const event of this.pending.get(name) ?? []) this.add(event);
      this.pending.delete(name);
    }
  }

  private typeOf(name: string, fallback: string): string {
    return this.stateTypes.get(name) ?? fallback;
  }

  /** Translates one library event into Step Functions history events. */
  consume(event: LibraryEvent): void {
    const timestamp = new Date(event.timestamp);
    switch (event.type) {
      case 'ExecutionStarted':
        this.add({
          type: 'ExecutionStarted',
          timestamp,
          detailsKey: 'executionStartedEventDetails',
          details: { input: this.record.input, inputDetails: { truncated: false }, roleArn: this.roleArn },
        });
        return;
      case 'StateEntered': {
        this.record.stateTransitions += 1;
        const type = this.typeOf(event.state.name, event.state.type);
        this.add({
          type: `${type}StateEntered`,
          timestamp,
          detailsKey: 'stateEnteredEventDetails',
          details: {
            name: event.state.name,
            input: text(event.state.input),
            inputDetails: { truncated: false },
          },
        });
        return;
      }
      case 'StateExited': {
        this.flush(event.state.name);
        const type = this.typeOf(event.state.name, event.state.type);
        this.add({
          type: `${type}StateExited`,
          timestamp,
          detailsKey: 'stateExitedEventDetails',
          details: {
            name: event.state.name,
            output: text(event.state.output),
            outputDetails: { truncated: false },
          },
        });
        return;
      }
      case 'StateFailed': {
        this.flush(event.state.name);
        const type = this.typeOf(event.state.name, event.state.type);
        if (type === 'Map' || type === 'Parallel') this.add({ type: `${type}StateFailed`, timestamp });
        return;
      }
      case 'StateRetried':
        this.record.stateTransitions += 1;
        return;
      case 'StateCaught':
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `mapIteration${event.type.slice('MapIteration'.length)}EventDetails`;
        this.add({
          type: event.type,
          timestamp,
          detailsKey: key,
          details: { name: event.parentState.name, index: event.index },
        });
        return;
      }
      case 'ExecutionSucceeded':
        this.flush();
        this.ended = true;
        this.add({
          type: 'ExecutionSucceeded',
          timestamp,
          detailsKey: 'executionSucceededEventDetails',
          details: { output: text(event.output), outputDetails: { truncated: false } },
        });
        return;
      case 'ExecutionFailed':
        this.flush();
        this.ended = true;
        this.add({
          type: 'ExecutionFailed',
          timestamp,
          detailsKey: 'executionFailedEventDetails',
          details: { error: event.Error, cause: text(event.Cause) },
        });
        return;
      default:
        // Parallel branch events have no Step Functions counterpart;
        // ExecutionAborted / ExecutionTimeout are written by the runner, which knows why.
        return;
    }
  }

  /** Ends the history of an execution that the library did not end itself. */
  close(
    type: 'ExecutionAborted' | 'ExecutionTimedOut' | 'ExecutionFailed',
    error: string,
    cause: string,
  ): void {
    this.flush();
    this.ended = true;
    const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    this.add({ type, timestamp: new Date(), detailsKey: key, details: { error, cause } });
  }

  lastEvent(): HistoryEvent | undefined {
    return this.record.history[this.record.history.length - 1];
  }
}
