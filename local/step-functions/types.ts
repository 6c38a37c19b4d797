export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

/** One event of an execution's history, shaped like GetExecutionHistory's HistoryEvent. */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  readonly type: string;
  /** e.g. `stateEnteredEventDetails`; absent for events without details. */
  readonly detailsKey?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  /** The input exactly as given (a JSON text). */
  readonly input: string;
  readonly startDate: Date;
  status: ExecutionStatus;
  output?: string;
  stopDate?: Date;
  error?: string;
  cause?: string;
  readonly history: HistoryEvent[];
  /** As AWS bills Standard workflows: every state entered, every retry. */
  stateTransitions: number;
  lambdaInvocations: number;
  readonly lambdaInvocationsByFunction: Record<string, number>;
  /** Set on the child executions of a Distributed Map run. */
  readonly mapRunArn?: string;
  readonly mapRunArns: string[];
}

export interface MapRunItemCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  aborted: number;
}

export interface MapRunRecord {
  readonly mapRunArn: string;
  readonly executionArn: string;
  /** The child workflows' state machine ARN: `<parent>/<label>`. */
  readonly stateMachineArn: string;
  readonly stateName: string;
  readonly maxConcurrency: number;
  readonly startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  stopDate?: Date;
  readonly itemCounts: MapRunItemCounts;
  readonly childExecutionArns: string[];
}

/** Counted figures of one execution with its Distributed Map children, or of the whole runner. */
export interface ExecutionMetrics {
  executions: number;
  stateTransitions: number;
  lambdaInvocations: number;
  lambdaInvocationsByFunction: Record<string, number>;
}
