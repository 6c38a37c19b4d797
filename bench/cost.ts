/**
 * What an organization audit costs on AWS, from counted usage and the
 * us-east-1 prices of aws-facts.md. STS, IAM and Organizations are free, so
 * the bill is Step Functions, Lambda, DynamoDB (table and index) and
 * CloudWatch Logs. Every line is kept apart so the report prints each.
 */

export interface Prices {
  readonly stepFunctionsPerTransition: number;
  readonly lambdaPerRequest: number;
  readonly lambdaPerGbSecond: number;
  readonly dynamoDbPerWriteUnit: number;
  readonly dynamoDbPerReadUnit: number;
  /** CloudWatch Logs ingestion (standard class, first tier), per GB. */
  readonly logsPerGbIngested: number;
}

/**
 * aws-facts.md, us-east-1: Standard workflows, Lambda on arm64, DynamoDB on
 * demand; CloudWatch Logs standard ingestion $0.50 per GB (first tier; the
 * Step Functions and Lambda log groups are billed at it).
 */
export const US_EAST_1_ARM64: Prices = {
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaPerRequest: 0.2 / 1_000_000,
  lambdaPerGbSecond: 0.0000133334,
  dynamoDbPerWriteUnit: 0.625 / 1_000_000,
  dynamoDbPerReadUnit: 0.125 / 1_000_000,
  logsPerGbIngested: 0.5,
};

export interface LambdaInvocation {
  readonly durationMs: number;
  readonly memoryMb: number;
}

export interface Usage {
  readonly accounts: number;
  /** States entered by every execution of the run (the audit, its shards, the Secure new account runs). */
  readonly stateTransitions: number;
  /**
   * Executions the run started (shards, Secure new account): Step Functions
   * bills one transition for each child execution a Distributed Map starts;
   * the model charges the same for each child started by StartExecution, an
   * upper bound when AWS does not.
   */
  readonly childExecutionStarts?: number;
  readonly lambdaInvocations: readonly LambdaInvocation[];
  /** Write units of the base table. */
  readonly writeUnits: number;
  /** Write units of GSI1 (projection ALL): every write of an item that carries GSI1PK, twice when the key changes. */
  readonly gsiWriteUnits?: number;
  readonly readUnits: number;
  /** Bytes the run sends to CloudWatch Logs at the deployed log levels (see logBytesOf). */
  readonly logBytes?: number;
}

export interface CostBreakdown {
  readonly stepFunctions: number;
  readonly childExecutionStarts: number;
  readonly lambdaRequests: number;
  readonly lambdaCompute: number;
  /** Base table reads and writes. */
  readonly dynamoDb: number;
  readonly dynamoDbIndex: number;
  readonly cloudWatchLogs: number;
  readonly total: number;
  readonly gbSeconds: number;
  readonly logBytes: number;
  /** The same total scaled to 1,000 accounts (costs are linear in accounts). */
  readonly per1000Accounts: number;
}

/** Lambda bills each invocation's duration rounded up to the millisecond. */
export function gbSeconds(invocations: readonly LambdaInvocation[]): number {
  return invocations.reduce(
    (sum, { durationMs, memoryMb }) => sum + (Math.ceil(durationMs) / 1000) * (memoryMb / 1024),
    0,
  );
}

const BYTES_PER_GB = 1024 ** 3;

export function costOf(usage: Usage, prices: Prices = US_EAST_1_ARM64): CostBreakdown {
  const compute = gbSeconds(usage.lambdaInvocations);
  const logBytes = usage.logBytes ?? 0;
  const lines = {
    stepFunctions: usage.stateTransitions * prices.stepFunctionsPerTransition,
    childExecutionStarts: (usage.childExecutionStarts ?? 0) * prices.stepFunctionsPerTransition,
    lambdaRequests: usage.lambdaInvocations.length * prices.lambdaPerRequest,
    lambdaCompute: compute * prices.lambdaPerGbSecond,
    dynamoDb: usage.writeUnits * prices.dynamoDbPerWriteUnit + usage.readUnits * prices.dynamoDbPerReadUnit,
    dynamoDbIndex: (usage.gsiWriteUnits ?? 0) * prices.dynamoDbPerWriteUnit,
    cloudWatchLogs: (logBytes / BYTES_PER_GB) * prices.logsPerGbIngested,
  };
  const total = Object.values(lines).reduce((sum, value) => sum + value, 0);
  return {
    ...lines,
    total,
    gbSeconds: compute,
    logBytes,
    per1000Accounts: usage.accounts > 0 ? (total / usage.accounts) * 1000 : 0,
  };
}

/** DynamoDB on-demand units: a write unit per started KB, a strongly consistent read unit per 4 KB (half when eventually consistent). */
export function writeUnitsFor(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 1024));
}

export function readUnitsFor(itemBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(itemBytes / 4096));
  return consistent ? units : units / 2;
}

/**
 * Log volume of a run at the deployed levels:
 * - Step Functions, with execution data, at each state machine's level
 *   (lib/workflows/workflow-state-machine.ts: ALL for the audit, ERROR for
 *   its shards): one record per logged history event, the event with its
 *   input or output, plus the record's envelope (execution ARN, ids,
 *   timestamp); bench/history-usage.ts `loggedEvents` picks the events;
 * - Lambda, JSON format: START, END and REPORT records per invocation;
 * - the handlers at Powertools' default level INFO: one "root session
 *   opened" line per session logged at INFO (the audit's are at DEBUG:
 *   lambdas/shared/root-task-runtime.ts, `sessionLogLevel`).
 */
export interface LogVolumeInput {
  /** Sum of the logged history events' JSON sizes, every execution of the run. */
  readonly historyEventBytes: number;
  readonly historyEvents: number;
  readonly lambdaInvocations: number;
  /** Root sessions whose "root session opened" line is logged at INFO. */
  readonly sessionsLoggedAtInfo: number;
}

/** Per-record sizes of the log model (bytes), measured on sample records of each kind. */
export const LOG_RECORD_BYTES = {
  /** Step Functions envelope: execution_arn (~120), id, previous_event_id, event_timestamp, type, redrive_count. */
  stepFunctionsEnvelope: 250,
  /** platform.start + platform.runtimeDone/END + platform.report in JSON, with the request id and metrics. */
  lambdaPlatformPerInvocation: 700,
  /** Powertools INFO line: level, message, timestamp, service, cold_start, function fields, xray id, and the session fields. */
  sessionInfoLine: 450,
} as const;

export function logBytesOf(input: LogVolumeInput): number {
  return (
    input.historyEventBytes +
    input.historyEvents * LOG_RECORD_BYTES.stepFunctionsEnvelope +
    input.lambdaInvocations * LOG_RECORD_BYTES.lambdaPlatformPerInvocation +
    input.sessionsLoggedAtInfo * LOG_RECORD_BYTES.sessionInfoLine
  );
}
