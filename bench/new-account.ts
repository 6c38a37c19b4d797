/**
 * The new-account path: a CreateAccountResult event put on the local bus,
 * until the account's posture is in the table. Run on its own small stack
 * whose sandbox answers every call in exactly the model's median latency,
 * so each sandbox call's end is its arrival + that latency, and the count
 * of sequential round trips is exact.
 */
import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startLocalStack, type LocalStack } from '../local/local-stack';
import type { BenchOptions } from './options';
import type { NewAccountPath, TimedCall } from './report/model';
import { sequentialRoundTrips } from './round-trips';
import { snapshotOf, truthOf } from './sandbox-view';
import { sandboxModel } from './environment';
import { accountKey, POSTURE } from '../lib/results-table-keys';

const LIMIT_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sandbox call arrivals, seen by polling its public counters between event-loop turns. */
function watchArrivals(stack: LocalStack, t0: number): { calls: TimedCall[]; stop(): void } {
  const calls: TimedCall[] = [];
  let previous = { ...stack.sandbox.metrics.summary().byAction };
  let running = true;
  const poll = (): void => {
    if (!running) return;
    const now = stack.sandbox.metrics.summary().byAction;
    for (const [action, count] of Object.entries(now)) {
      for (let i = previous[action] ?? 0; i < count; i += 1) {
        calls.push({ operation: action, startMs: performance.now() - t0, endMs: Number.NaN });
      }
    }
    previous = { ...now };
    setImmediate(poll);
  };
  setImmediate(poll);
  return {
    calls,
    stop: () => {
      running = false;
    },
  };
}

/** CreateAccountResult as Organizations sends it (fixtures/events), for one account. */
function creationEvent(accountId: string, managementAccountId: string, region: string) {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    version: '0' as const,
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.organizations',
    account: managementAccountId,
    region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { accountId: managementAccountId, invokedBy: 'organizations.amazonaws.com' },
      eventTime: now,
      eventSource: 'organizations.amazonaws.com',
      eventName: 'CreateAccountResult',
      awsRegion: region,
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: managementAccountId,
      serviceEventDetails: {
        createAccountStatus: {
          id: `car-${randomUUID().replace(/-/g, '')}`,
          state: 'SUCCEEDED',
          accountName: 'bench-new-account',
          accountId,
        },
      },
      eventCategory: 'Management',
    },
  };
}

export async function measureNewAccountPath(options: BenchOptions): Promise<NewAccountPath> {
  const model = sandboxModel(options);
  const stack = await startLocalStack({
    accounts: 25,
    seed: options.seed,
    sandbox: { ...model, latency: { fixedMs: options.latencyMedianMs } },
  });
  try {
    const truth = truthOf(snapshotOf(stack.sandbox.state));
    const clean = [...truth]
      .filter(
        ([, p]) =>
          !p.passwordPresent && !p.accessKeysPresent && !p.signingCertificatesPresent && !p.mfaEnabled,
      )
      .map(([id]) => id);
    const [warmUpId, accountId] = clean;
    if (warmUpId === undefined || accountId === undefined) {
      throw new Error('the organization has fewer than two clean accounts');
    }
    // A first event loads the handler modules (a Lambda cold start); the measured one runs warm.
    await recordedFor(stack, warmUpId, new Date().toISOString(), performance.now());
    await stack.stepFunctions.waitForIdle();
    const t0 = performance.now();
    const since = new Date().toISOString();
    const watcher = watchArrivals(stack, t0);
    const { endMs: polledMs, posture } = await recordedFor(stack, accountId, since, t0);
    watcher.stop();
    await stack.bus.drain();
    await stack.stepFunctions.waitForIdle();
    const table = tableCalls(stack, t0);
    // The path ends when the posture write returns (polling sees it a few ms later).
    const postureWrite = table.find((call) => call.writesPosture && !(call.startMs > polledMs));
    const endMs = postureWrite?.endMs ?? polledMs;
    const sandboxCalls = watcher.calls
      .filter((call) => call.startMs < endMs)
      .map((call) => ({ ...call, endMs: call.startMs + options.latencyMedianMs }));
    const calls = [
      ...sandboxCalls,
      ...table.filter((call) => call.startMs < endMs).map(({ writesPosture: _w, ...call }) => call),
    ].sort((a, b) => a.startMs - b.startMs);
    const recorded = !Number.isNaN(polledMs);
    return {
      recorded,
      correct: recorded && posture !== undefined && /"credentialsPresent":false/.test(posture),
      wallMs: endMs,
      sequentialRoundTrips: sequentialRoundTrips(calls),
      awsCalls: calls.length,
      calls,
      note:
        `Sandbox calls answer in exactly ${options.latencyMedianMs} ms here (the model's median); the local DynamoDB answers in a few ms, ` +
        'so the wall time is the sandbox round trips × the median plus local overhead. Sandbox call starts are seen by polling its counters (±1 ms); ' +
        'table calls are the workflow’s DynamoDB states (from the execution history); table calls made inside a handler are not seen here.',
    };
  } finally {
    await stack.close();
  }
}

/**
 * Puts the event on the bus and waits until the account's posture is in the
 * table (a consistent read every 2 ms, bounded in time).
 */
async function recordedFor(
  stack: LocalStack,
  accountId: string,
  since: string,
  t0: number,
): Promise<{ endMs: number; posture?: string }> {
  // PutEvents refuses aws.* sources, as EventBridge does: the bus takes the service's event whole.
  const delivered = stack.bus.publish(
    creationEvent(accountId, stack.sandbox.managementAccountId, stack.region),
  );
  if (delivered.matchedRules.length === 0) throw new Error('no rule matched the CreateAccountResult event');
  const key = { PK: { S: accountKey(accountId) }, SK: { S: POSTURE } };
  while (performance.now() - t0 < LIMIT_MS) {
    const { Item } = await stack.table.client.send(
      new GetItemCommand({ TableName: stack.table.tableName, Key: key, ConsistentRead: true }),
    );
    if ((Item?.checkedAt?.S ?? '') >= since)
      return { endMs: performance.now() - t0, posture: Item?.posture?.S };
    await sleep(2);
  }
  return { endMs: Number.NaN };
}

interface TableCall extends TimedCall {
  /** This state wrote the account's POSTURE item. */
  readonly writesPosture: boolean;
}

/** The workflows' DynamoDB states that started after t0, from the executions' histories. */
function tableCalls(stack: LocalStack, t0: number): TableCall[] {
  const epochAtT0 = Date.now() - (performance.now() - t0);
  const calls: TableCall[] = [];
  const executions = stack.stepFunctions
    .listStateMachines()
    .flatMap(({ local }) => stack.stepFunctions.listExecutions({ stateMachineArn: local.arn }));
  for (const execution of executions) {
    // A state's task events are written together: a FIFO pairs each start with its end.
    const open: { resource: string; start: number; posture: boolean }[] = [];
    for (const event of execution.history) {
      if (event.details?.resourceType !== 'dynamodb') continue;
      if (event.type === 'TaskScheduled') {
        const parameters = typeof event.details.parameters === 'string' ? event.details.parameters : '';
        open.push({
          resource: String(event.details.resource),
          start: event.timestamp.getTime() - epochAtT0,
          posture: parameters.includes(`"SK":{"S":"${POSTURE}"}`),
        });
      } else if (event.type === 'TaskSucceeded' || event.type === 'TaskFailed') {
        const first = open.shift();
        if (!first || first.start < 0) continue;
        calls.push({
          operation: `dynamodb:${first.resource}`,
          startMs: first.start,
          endMs: event.timestamp.getTime() - epochAtT0,
          writesPosture: first.posture,
        });
      }
    }
  }
  return calls;
}
