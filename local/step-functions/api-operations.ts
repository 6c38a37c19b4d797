import { SfnApiError } from './errors';
import type { LocalStepFunctions } from './runner';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent, MapRunRecord } from './types';

type Body = Record<string, unknown>;
type Operation = (runner: LocalStepFunctions, body: Body) => Body;

/** The JSON 1.0 protocol sends timestamps as epoch seconds. */
const seconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

function str(body: Body, key: string, required = true): string | undefined {
  const value = body[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string') throw new SfnApiError('ValidationException', `${key} must be a string`);
  return value;
}

function required(body: Body, key: string): string {
  return str(body, key) as string;
}

/** Offset pagination: nextToken is opaque to clients. */
function page<T>(items: readonly T[], body: Body, defaultSize = 100): { items: T[]; nextToken?: string } {
  const requested =
    typeof body.maxResults === 'number' && body.maxResults > 0 ? body.maxResults : defaultSize;
  const size = Math.min(requested, 1000);
  let offset = 0;
  if (typeof body.nextToken === 'string') {
    const decoded = Number(Buffer.from(body.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) throw new SfnApiError('InvalidToken', 'Invalid Token');
    offset = decoded;
  }
  const end = offset + size;
  const nextToken = end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined;
  return { items: items.slice(offset, end), nextToken };
}

function executionSummary(record: ExecutionRecord): Body {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    stopDate: seconds(record.stopDate),
    mapRunArn: record.mapRunArn,
  };
}

const DATA_FIELDS = ['input', 'output', 'parameters'];

function historyEvent(event: HistoryEvent, includeData: boolean): Body {
  let details = event.details;
  if (details !== undefined && !includeData) {
    details = Object.fromEntries(Object.entries(details).filter(([key]) => !DATA_FIELDS.includes(key)));
  }
  return {
    id: event.id,
    previousEventId: event.previousEventId,
    timestamp: seconds(event.timestamp),
    type: event.type,
    ...(event.detailsKey === undefined ? {} : { [event.detailsKey]: details ?? {} }),
  };
}

function mapRunCounts(run: MapRunRecord): Body {
  const { total, pending, running, succeeded, failed, aborted } = run.itemCounts;
  return {
    total,
    pending,
    running,
    succeeded,
    failed,
    aborted,
    timedOut: 0,
    resultsWritten: 0,
    failuresNotRedrivable: 0,
    pendingRedrive: 0,
  };
}

const STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED_OUT'];

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  SendTaskSuccess: (runner, body) => {
    runner.sendTaskSuccess(body.taskToken, body.output);
    return {};
  },
  SendTaskFailure: (runner, body) => {
    runner.sendTaskFailure(body.taskToken, body.error, body.cause);
    return {};
  },
  SendTaskHeartbeat: (runner, body) => {
    runner.sendTaskHeartbeat(body.taskToken);
    return {};
  },
  StartExecution: (runner, body) => {
    const started = runner.startExecution(required(body, 'stateMachineArn'), {
      name: str(body, 'name', false),
      input: str(body, 'input', false),
    });
    return { executionArn: started.executionArn, startDate: seconds(started.startDate) };
  },
  StopExecution: (runner, body) => {
    const { stopDate } = runner.stopExecution(
      required(body, 'executionArn'),
      str(body, 'error', false),
      str(body, 'cause', false),
    );
    return { stopDate: seconds(stopDate) };
  },
  DescribeExecution: (runner, body) => {
    const record = runner.describeExecution(required(body, 'executionArn'));
    return {
      ...executionSummary(record),
      input: record.input,
      inputDetails: { included: true },
      output: record.output,
      outputDetails: record.output === undefined ? undefined : { included: true },
      error: record.error,
      cause: record.cause,
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  },
  GetExecutionHistory: (runner, body) => {
    const record = runner.describeExecution(required(body, 'executionArn'));
    const events = body.reverseOrder === true ? [...record.history].reverse() : record.history;
    const { items, nextToken } = page(events, body);
    const includeData = body.includeExecutionData !== false;
    return { events: items.map((event) => historyEvent(event, includeData)), nextToken };
  },
  ListExecutions: (runner, body) => {
    const statusFilter = str(body, 'statusFilter', false);
    if (statusFilter !== undefined && !STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw new SfnApiError('ValidationException', `statusFilter ${statusFilter} is not a status`);
    }
    const stateMachineArn = str(body, 'stateMachineArn', false);
    const mapRunArn = str(body, 'mapRunArn', false);
    if ((stateMachineArn === undefined) === (mapRunArn === undefined)) {
      throw new SfnApiError(
        'ValidationException',
        'exactly one of stateMachineArn and mapRunArn is required',
      );
    }
    const records = runner.listExecutions({
      stateMachineArn,
      mapRunArn,
      statusFilter: statusFilter as ExecutionStatus | undefined,
    });
    const { items, nextToken } = page(records, body);
    return { executions: items.map(executionSummary), nextToken };
  },
  ListStateMachines: (runner, body) => {
    const { items, nextToken } = page(runner.listStateMachines(), body);
    return {
      stateMachines: items.map(({ local, creationDate }) => ({
        stateMachineArn: local.arn,
        name: local.name,
        type: local.type,
        creationDate: seconds(creationDate),
      })),
      nextToken,
    };
  },
  DescribeStateMachine: (runner, body) => {
    const { local, creationDate } = runner.describeStateMachine(required(body, 'stateMachineArn'));
    return {
      stateMachineArn: local.arn,
      name: local.name,
      status: 'ACTIVE',
      definition: local.definitionString,
      roleArn: local.roleArn,
      type: local.type,
      creationDate: seconds(creationDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  },
  ListMapRuns: (runner, body) => {
    const { items, nextToken } = page(runner.listMapRuns(required(body, 'executionArn')), body);
    return {
      mapRuns: items.map((run) => ({
        executionArn: run.executionArn,
        mapRunArn: run.mapRunArn,
        stateMachineArn: run.stateMachineArn,
        startDate: seconds(run.startDate),
        stopDate: seconds(run.stopDate),
      })),
      nextToken,
    };
  },
  DescribeMapRun: (runner, body) => {
    const run = runner.describeMapRun(required(body, 'mapRunArn'));
    const counts = mapRunCounts(run);
    return {
      mapRunArn: run.mapRunArn,
      executionArn: run.executionArn,
      status: run.status,
      startDate: seconds(run.startDate),
      stopDate: seconds(run.stopDate),
      maxConcurrency: run.maxConcurrency,
      toleratedFailurePercentage: 0,
      toleratedFailureCount: 0,
      itemCounts: counts,
      // One child execution per item: no ItemBatcher.
      executionCounts: counts,
      redriveCount: 0,
    };
  },
};
