/**
 * Lambda durations and DynamoDB integration calls, read from execution
 * histories: the local runner stamps LambdaFunctionStarted before the
 * handler runs and LambdaFunctionSucceeded after, as AWS does.
 */
import type { StateMachineLogLevel } from '../local/template/read-template';
import type { LambdaInvocation } from './cost';

/** The part of a history event this reads (the local runner's HistoryEvent has it). */
export interface HistoryEventLike {
  readonly type: string;
  readonly timestamp: Date;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface HistoryUsage {
  readonly invocations: LambdaInvocation[];
  readonly workflowWrites: number;
  readonly workflowReads: number;
  /** History events, and their JSON size: what Step Functions logs at level ALL with execution data. */
  readonly events: number;
  readonly eventBytes: number;
}

const LAMBDA_ENDS = new Set(['LambdaFunctionSucceeded', 'LambdaFunctionFailed', 'LambdaFunctionTimedOut']);
const WRITES = new Set(['putItem', 'updateItem', 'deleteItem']);

export function historyUsage(
  histories: readonly (readonly HistoryEventLike[])[],
  memoryMbByArn: ReadonlyMap<string, number>,
  defaultMemoryMb: number,
): HistoryUsage {
  const invocations: LambdaInvocation[] = [];
  let workflowWrites = 0;
  let workflowReads = 0;
  let events = 0;
  let eventBytes = 0;
  for (const history of histories) {
    events += history.length;
    for (const event of history) eventBytes += Buffer.byteLength(JSON.stringify(event.details ?? {}), 'utf8');
    // Events of one state are written together, so a FIFO pairs them even when states overlap.
    const scheduled: string[] = [];
    const started: { memoryMb: number; at: number }[] = [];
    for (const event of history) {
      if (event.type === 'LambdaFunctionScheduled') {
        scheduled.push(typeof event.details?.resource === 'string' ? event.details.resource : '');
      } else if (event.type === 'LambdaFunctionStarted') {
        const arn = scheduled.shift() ?? '';
        started.push({ memoryMb: memoryMbByArn.get(arn) ?? defaultMemoryMb, at: event.timestamp.getTime() });
      } else if (LAMBDA_ENDS.has(event.type)) {
        const start = started.shift();
        if (start)
          invocations.push({ memoryMb: start.memoryMb, durationMs: event.timestamp.getTime() - start.at });
      } else if (event.type === 'TaskScheduled' && event.details?.resourceType === 'dynamodb') {
        const action = String(event.details.resource);
        if (WRITES.has(action)) workflowWrites += 1;
        else workflowReads += 1;
      }
    }
  }
  return { invocations, workflowWrites, workflowReads, events, eventBytes };
}

/**
 * Whether Step Functions sends a history event to CloudWatch Logs at a log
 * level (Step Functions developer guide, "Log levels"): ALL every event;
 * ERROR the failures, time-outs and aborts of the execution and its states
 * and tasks, and a Fail state entered; FATAL the execution's own failure,
 * time-out or abort; OFF none.
 */
export function isLoggedAt(level: StateMachineLogLevel, eventType: string): boolean {
  switch (level) {
    case 'ALL':
      return true;
    case 'ERROR':
      return /(Failed|TimedOut|Aborted)$/.test(eventType) || eventType === 'FailStateEntered';
    case 'FATAL':
      return /^Execution(Failed|TimedOut|Aborted)$/.test(eventType);
    default:
      return false;
  }
}

export interface LoggedHistory {
  readonly history: readonly HistoryEventLike[];
  /** The level its state machine is deployed with. */
  readonly logLevel: StateMachineLogLevel;
}

/** The events (and their JSON size) that the executions' log levels send to CloudWatch Logs. */
export function loggedEvents(executions: readonly LoggedHistory[]): { events: number; eventBytes: number } {
  let events = 0;
  let eventBytes = 0;
  for (const { history, logLevel } of executions) {
    for (const event of history) {
      if (!isLoggedAt(logLevel, event.type)) continue;
      events += 1;
      eventBytes += Buffer.byteLength(JSON.stringify(event.details ?? {}), 'utf8');
    }
  }
  return { events, eventBytes };
}
