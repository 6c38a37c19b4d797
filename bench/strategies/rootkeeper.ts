/**
 * Rootkeeper as deployed: the synthesized Audit organization workflow,
 * executed by the local runner with the handlers in process (Distributed
 * Map at its configured concurrency). What it recorded is read back from
 * the results table, never from the workflow's own answer.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '../../local/local-stack';
import type { SandboxConnection } from '../../sandbox';
import { processPeakRssMb, resetPeakRss } from '../machine';
import { costOf, logBytesOf } from '../cost';
import { postureFromRecord } from '../correctness';
import { auditTableUsage } from '../dynamodb-usage';
import { historyUsage, loggedEvents, type HistoryEventLike } from '../history-usage';
import { sessionLogLevel } from '../../lambdas/shared/root-task-runtime';
import type { RootkeeperUsage } from '../result';
import type { PostureFlags, StrategyOutcome } from '../types';
import { KEY_PREFIX, POSTURE } from '../../lib/results-table-keys';

type Item = Record<string, AttributeValue>;
type Stack = LocalStack<SandboxConnection>;

async function scanTable(stack: Stack): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  // Bounded: a table of 10,000 accounts is ~20,000 items, a few dozen pages.
  for (let page = 0; page < 10_000; page += 1) {
    const answer = await stack.table.client.send(
      new ScanCommand({ TableName: stack.table.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(answer.Items ?? []));
    start = answer.LastEvaluatedKey;
    if (!start) break;
  }
  return items;
}

/**
 * The execution and its children, recursively: Distributed Map children, and
 * the executions it started itself with its own ARN in their input (the
 * audit's shards).
 */
function executionTree(stack: Stack, executionArn: string): string[] {
  const record = stack.stepFunctions.describeExecution(executionArn);
  const mapChildren = record.mapRunArns.flatMap(
    (arn) => stack.stepFunctions.describeMapRun(arn).childExecutionArns,
  );
  const started = stack.stepFunctions.store
    .all()
    .filter((child) => child.executionArn !== executionArn && startedBy(child.input, executionArn))
    .map((child) => child.executionArn);
  return [executionArn, ...[...mapChildren, ...started].flatMap((arn) => executionTree(stack, arn))];
}

function startedBy(input: string, executionArn: string): boolean {
  try {
    return (JSON.parse(input) as { executionArn?: unknown }).executionArn === executionArn;
  } catch {
    return false;
  }
}

async function finishWithin(stack: Stack, executionArn: string, timeLimitMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeLimitMs);
  });
  const finished = await Promise.race([
    stack.stepFunctions.waitForExecution(executionArn).then(() => true),
    timedOut,
  ]);
  clearTimeout(timer);
  if (!finished)
    stack.stepFunctions.stopExecution(executionArn, 'Bench.TimeLimit', 'the benchmark time limit');
  return finished;
}

export async function runRootkeeper(
  stack: Stack,
  timeLimitMs: number,
): Promise<{ outcome: StrategyOutcome; usage: RootkeeperUsage }> {
  const stateMachineArn = stack.stepFunctions.stateMachineArn('AuditOrganizationStateMachineArn');
  // The audit's own peak: the runner and the handlers, before the bench reads the results back.
  const peakFromAuditStart = resetPeakRss();
  const startedWall = Date.now();
  const started = performance.now();
  const { executionArn } = stack.stepFunctions.startExecution(stateMachineArn, { input: {} });
  const finished = await finishWithin(stack, executionArn, timeLimitMs);
  const measuredWallMs = performance.now() - started;
  const auditPeakRssMb = peakFromAuditStart ? processPeakRssMb() : undefined;
  const record = stack.stepFunctions.describeExecution(executionArn);

  const items = await scanTable(stack);
  const recorded = new Map<string, PostureFlags | null>();
  const completionsMs: number[] = [];
  const failureSamples: string[] = [];
  let failedAccounts = 0;
  for (const item of items) {
    const pk = item.PK?.S ?? '';
    const sk = item.SK?.S ?? '';
    const checkedBy = item.checkedBy?.S ?? '';
    // Only what this execution recorded counts (checkedBy holds its ARN or name).
    const byThisRun = checkedBy !== '' && executionArn.endsWith(checkedBy);
    if (sk === POSTURE && byThisRun) {
      recorded.set(pk.replace(/^ACCOUNT#/, ''), postureFromRecord(item.posture?.S ?? ''));
      completionsMs.push(Date.parse(item.checkedAt?.S ?? '') - startedWall);
    } else if (
      sk.startsWith(KEY_PREFIX.run) &&
      pk.startsWith(KEY_PREFIX.account) &&
      item.outcome?.S === 'FAILED'
    ) {
      failedAccounts += 1;
      if (failureSamples.length < 5)
        failureSamples.push(`${pk}: ${item.error?.S ?? ''} ${item.errorCause?.S ?? ''}`.slice(0, 200));
    }
  }
  if (record.status !== 'SUCCEEDED')
    failureSamples.unshift(
      `execution ${record.status}: ${record.error ?? ''} ${record.cause ?? ''}`.slice(0, 300),
    );
  completionsMs.sort((a, b) => a - b);

  const tree = executionTree(stack, executionArn);
  const functions = stack.stepFunctions.template.functions;
  const memory = new Map(functions.map((fn) => [fn.arn, fn.memorySizeMb]));
  const fromHistory = historyUsage(
    tree.map((arn) => stack.stepFunctions.describeExecution(arn).history as readonly HistoryEventLike[]),
    memory,
    functions[0]?.memorySizeMb ?? 512,
  );
  const shards = items.filter(
    (item) => item.PK?.S?.startsWith(KEY_PREFIX.inventory) && item.SK?.S?.startsWith(KEY_PREFIX.shard),
  ).length;
  const table = auditTableUsage({
    items,
    workflowWrites: fromHistory.workflowWrites,
    workflowReads: fromHistory.workflowReads,
    shards,
    accounts: recorded.size + failedAccounts,
  });
  // The audit and the shard executions it started, each with its own history and transitions.
  const perExecution = tree.map((arn) => stack.stepFunctions.describeExecution(arn));
  const metrics = {
    executions: tree.length,
    stateTransitions: perExecution.reduce((sum, m) => sum + m.stateTransitions, 0),
    lambdaInvocations: perExecution.reduce((sum, m) => sum + m.lambdaInvocations, 0),
  };
  // What reaches CloudWatch Logs: each execution's events at its state machine's level.
  const levelOf = new Map(
    stack.stepFunctions.template.stateMachines.map((machine) => [machine.arn, machine.logLevel]),
  );
  const logged = loggedEvents(
    perExecution.map((execution) => ({
      history: execution.history,
      logLevel: levelOf.get(execution.stateMachineArn) ?? 'ALL',
    })),
  );
  const cost = costOf({
    accounts: recorded.size,
    stateTransitions: metrics.stateTransitions,
    childExecutionStarts: tree.length - 1,
    lambdaInvocations: fromHistory.invocations,
    writeUnits: table.writeUnits,
    gsiWriteUnits: table.gsiWriteUnits,
    readUnits: table.readUnits,
    logBytes: logBytesOf({
      historyEventBytes: logged.eventBytes,
      historyEvents: logged.events,
      lambdaInvocations: fromHistory.invocations.length,
      // One audit session an account (its retry aside), logged at the audit task's level.
      sessionsLoggedAtInfo:
        sessionLogLevel('IAMAuditRootUserCredentials') === 'info' ? recorded.size + failedAccounts : 0,
    }),
  });
  return {
    outcome: {
      strategy: 'rootkeeper',
      attemptedAccounts: recorded.size + failedAccounts,
      measuredWallMs,
      recorded,
      completionsMs,
      failedCalls: failedAccounts,
      failureSamples,
      extra: {
        status: record.status,
        finishedInTime: String(finished),
        executions: metrics.executions,
        shards,
        writeUnits: table.writeUnits,
        gsiWriteUnits: table.gsiWriteUnits,
        readUnits: table.readUnits,
        logBytes: cost.logBytes,
        ...(auditPeakRssMb === undefined ? {} : { auditPeakRssMb: Math.round(auditPeakRssMb) }),
      },
    },
    usage: { stateTransitions: metrics.stateTransitions, lambdaInvocations: metrics.lambdaInvocations, cost },
  };
}
