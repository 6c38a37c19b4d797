import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { WORKFLOWS, type WorkflowKey } from '../../../lib/workflows/names';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../local/local-stack';
import { runWorkflow, waitForExecution, type FinishedExecution } from '../../../local/main-job/executions';
import { readResultItems, type ResultItem } from '../../../local/main-job/results-report';
import { CallLog } from './call-log';
import { OutputCapture } from '../../support/output-capture';
import { startSessionSecretRecorder, type SessionSecretRecorder } from './session-secret-recorder';

export interface E2eStack {
  readonly stack: LocalStack;
  readonly sfn: SFNClient;
  readonly events: EventBridgeClient;
  readonly recorder: SessionSecretRecorder;
  readonly capture: OutputCapture;
  /** The sandbox's calls and the runner's table writes, in the order they happened. */
  readonly callLog: CallLog;
  /** StartExecution through the local Step Functions API, then DescribeExecution until it ends. */
  run(workflow: WorkflowKey, input: Record<string, unknown>, name?: string): Promise<FinishedExecution>;
  /** The executions a bus event started (after its delivery). */
  executionOfEvent(eventId: string): Promise<FinishedExecution[]>;
  /** DescribeExecution until the execution ends. */
  executionOfArn(executionArn: string): Promise<FinishedExecution>;
  items(): Promise<ResultItem[]>;
  runsOf(accountId: string): Promise<ResultItem[]>;
  /** Where a root session's secret or token appears: histories, logs, the table, the bus. */
  leaks(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The local stack for an end-to-end test: the handlers reach the sandbox
 * through a recorder that learns every root session secret from the wire,
 * their logs are captured, and the clients are the real SDK's over loopback.
 */
/** For beforeAll: starting the local stack takes seconds, and much longer on a loaded machine. */
export const E2E_START_TIMEOUT_MS = 180_000;

/**
 * The waits for an execution have no deadline of their own: on a loaded
 * machine an audit of hundreds of accounts can take minutes, and that is not
 * a failure. The test's jest timeout is the only bound, against a hang.
 */
const NO_DEADLINE = Number.POSITIVE_INFINITY;

/** Every start of this test file, finished or not: closeE2eStacks() waits for each and closes it. */
const starts: Promise<E2eStack>[] = [];

export function startE2eStack(options: LocalStackOptions = {}): Promise<E2eStack> {
  const starting = openE2eStack(options);
  starts.push(starting);
  return starting;
}

/**
 * For afterAll: closes every stack this file started, waiting for a start
 * still under way (a beforeAll that timed out) and ignoring one that failed.
 * Nothing stays open and the capture of the output stops, so jest reports
 * the failure and exits.
 */
export async function closeE2eStacks(): Promise<void> {
  const started = await Promise.all(starts.splice(0).map((start) => start.catch(() => undefined)));
  for (const e2e of started) await e2e?.close();
}

async function openE2eStack(options: LocalStackOptions): Promise<E2eStack> {
  const callLog = new CallLog();
  const recorder = await startSessionSecretRecorder(callLog);
  const capture = new OutputCapture().start();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      retryDelayMs: 5,
      ...options,
      handlerEnvironment: { AWS_ENDPOINT_URL: recorder.endpoint, ...options.handlerEnvironment },
    });
  } catch (error) {
    capture.stop();
    await recorder.close();
    throw error;
  }
  recorder.target = stack.endpoints.sandbox;
  // The client the local runner's DynamoDB states (the unlock's backup among them) write with.
  callLog.recordTableWrites(stack.table.client);
  const clientOptions = {
    region: stack.region,
    credentials: {
      accessKeyId: stack.sandbox.managementCredentials.accessKeyId,
      secretAccessKey: stack.sandbox.managementCredentials.secretAccessKey,
    },
  };
  const sfn = new SFNClient({ ...clientOptions, endpoint: stack.endpoints.stepFunctions });
  const events = new EventBridgeClient({ ...clientOptions, endpoint: stack.endpoints.eventBridge });
  const documents = DynamoDBDocumentClient.from(stack.table.client);
  let closed = false;
  const items = (): Promise<ResultItem[]> => readResultItems(stack.table.client, stack.table.tableName);

  return {
    stack,
    sfn,
    events,
    recorder,
    capture,
    callLog,
    run: (workflow, input, name) =>
      runWorkflow(sfn, stack.outputs[WORKFLOWS[workflow].output] ?? '', input, name, NO_DEADLINE),
    executionOfEvent: async (eventId) => {
      await stack.bus.drain();
      const record = stack.bus.events.find((recorded) => recorded.event.id === eventId);
      if (record === undefined) throw new Error(`no event ${eventId} on the local bus`);
      return Promise.all(
        record.deliveries.map((delivery) => {
          if (delivery.executionArn === undefined)
            throw new Error(`delivery failed: ${delivery.error ?? ''}`);
          return waitForExecution(sfn, delivery.executionArn, NO_DEADLINE);
        }),
      );
    },
    executionOfArn: (executionArn) => waitForExecution(sfn, executionArn, NO_DEADLINE),
    items,
    runsOf: async (accountId) => {
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: stack.table.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
          ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':run': 'RUN#' },
        }),
      );
      return Items;
    },
    leaks: async () => {
      await stack.stepFunctions.waitForIdle();
      const places: [string, string][] = [
        ['execution histories', JSON.stringify(stack.stepFunctions.store.all())],
        ['logs', capture.text],
        ['results table', JSON.stringify(await items())],
        ['events', JSON.stringify(stack.bus.events)],
      ];
      return [...recorder.secrets].flatMap((secret) =>
        places
          .filter(([, text]) => text.includes(secret))
          .map(([place]) => `${place}: ${secret.slice(0, 6)}…`),
      );
    },
    close: async () => {
      if (closed) return;
      closed = true;
      capture.stop();
      sfn.destroy();
      events.destroy();
      try {
        await stack.close();
      } finally {
        await recorder.close();
      }
    },
  };
}
