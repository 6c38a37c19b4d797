import type { RootkeeperConfig } from '../lib/config';
import { buildRootkeeperApp } from '../lib/build-app';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { startCloudFormationServer } from './cloudformation-server';
import { startLocalDynamoDb, type LocalResultsTable } from './dynamodb/local-dynamodb';
import {
  createLocalEventBus,
  rulesFromTemplate,
  startEventBridgeServer,
  type LocalEventBus,
} from './eventbridge';
import { LocalStepFunctions, startStepFunctionsApi, type PutEventsEntry } from './step-functions';
import { readTemplate, type TemplateJson } from './template';
import { resolveValue } from './template/intrinsics';
import { LocalNames } from './template/local-names';

export interface LocalStackOptions {
  /** Size of the generated organization (ignored when `sandbox.organization` is given). Default 25. */
  readonly accounts?: number;
  readonly seed?: number;
  /** Options of the sandbox organization emulator (latency, quotas, faults, a fixture...). */
  readonly sandbox?: SandboxOptions;
  /** Overrides of the service configuration, validated as cdk.json's. */
  readonly config?: Partial<RootkeeperConfig>;
  /** Retry intervals of the workflows in ms (AWS's own backoff when absent). */
  readonly retryDelayMs?: number;
  /**
   * Variables for the in-process handlers that win over the local stack's own
   * (e.g. ROOT_SESSION_DURATION_SECONDS, or AWS_ENDPOINT_URL of a recording
   * proxy in front of the sandbox).
   */
  readonly handlerEnvironment?: Readonly<Record<string, string>>;
}

export interface LocalStackEndpoints {
  readonly sandbox: string;
  readonly dynamodb: string;
  readonly stepFunctions: string;
  readonly eventBridge: string;
  readonly cloudFormation: string;
}

export interface LocalStack {
  readonly sandbox: Sandbox;
  readonly table: LocalResultsTable;
  readonly stepFunctions: LocalStepFunctions;
  readonly bus: LocalEventBus;
  readonly endpoints: LocalStackEndpoints;
  readonly region: string;
  readonly stackName: string;
  /** The stack outputs with local values: ResultsTableName, the state machine ARNs, EventBusName. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What a command-line process needs to reach the local stack with an unmodified AWS SDK. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export const LOCAL_STACK_NAME = 'Rootkeeper';

/** The variables the in-process handlers run with: AWS_ENDPOINT_URL and its per-service overrides. */
function handlerEnvironment(sandbox: Sandbox, table: LocalResultsTable): Record<string, string> {
  return {
    AWS_REGION: sandbox.region,
    AWS_DEFAULT_REGION: sandbox.region,
    AWS_ENDPOINT_URL: sandbox.endpoint,
    // The SDK honours AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL.
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.managementCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.managementCredentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    RESULTS_TABLE_NAME: table.tableName,
    // The handlers' EMF lines would flood the job's output; test/lambdas/shared/metrics.test.ts reads them.
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}

/** The local bus takes the SDK's entry type; the runner hands Time as text. */
function toSdkEntries(entries: readonly PutEventsEntry[]) {
  return entries.map(({ Time, Resources, ...rest }) => ({
    ...rest,
    ...(Resources === undefined ? {} : { Resources: [...Resources] }),
    ...(Time === undefined ? {} : { Time: new Date(Time) }),
  }));
}

/**
 * The whole service on loopback: the sandbox organization, dynalite with the
 * results table, the CDK app synthesized in process and its state machines
 * run by the local runner with the real handlers, the EventBridge rules on a
 * local bus, and the APIs a command line uses (Step Functions, EventBridge,
 * CloudFormation DescribeStacks).
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const sandbox = await startSandbox({
      organization: { generate: { accounts: options.accounts ?? 25, seed: options.seed ?? 1 } },
      ...options.sandbox,
    });
    closers.push(() => sandbox.close());
    const region = sandbox.region;
    const accountId = sandbox.managementAccountId;

    const { app, stack } = buildRootkeeperApp({
      config: { managementAccountId: accountId, ...options.config },
      bundling: false,
      env: { account: accountId, region },
    });
    const template = app.synth().getStackByName(stack.stackName).template as TemplateJson;
    const nameOptions = { region, accountId, stackName: LOCAL_STACK_NAME };
    const local = readTemplate(template, nameOptions);
    const tableName = local.tables[0]?.name;
    if (tableName === undefined) throw new Error('the synthesized stack has no results table');

    const table = await startLocalDynamoDb({ tableName, region });
    closers.push(() => table.close());

    const names = new LocalNames(template, nameOptions);
    const rules = rulesFromTemplate(template, {
      region,
      account: accountId,
      resolve: (value) => resolveValue(value, names),
    });
    // The runner and the bus call each other (a workflow's events start
    // workflows); neither calls the other while being built.
    const stepFunctions: LocalStepFunctions = new LocalStepFunctions({
      template: local,
      dynamodb: table.client,
      putEvents: (entries) => bus.putEvents(toSdkEntries(entries)).Entries,
      environment: { ...handlerEnvironment(sandbox, table), ...options.handlerEnvironment },
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    const bus = createLocalEventBus({
      rules,
      region,
      account: accountId,
      startExecution: ({ stateMachineArn, input }) =>
        Promise.resolve(stepFunctions.startExecution(stateMachineArn, { input })),
    });
    closers.push(() => stepFunctions.dispose());

    const callerAccount = (accessKeyId: string): string | undefined =>
      accessKeyId === sandbox.managementCredentials.accessKeyId ? accountId : undefined;
    const eventBridge = await startEventBridgeServer(bus, { callerAccount });
    closers.push(() => eventBridge.close());
    const sfnApi = await startStepFunctionsApi(stepFunctions);
    closers.push(() => sfnApi.close());

    const outputs: Record<string, string> = {
      ...local.outputs,
      ResultsTableName: tableName,
      EventBusName: local.outputs.EventBusName ?? local.eventBuses[0]?.name ?? 'default',
    };
    const cloudFormation = await startCloudFormationServer({
      stackName: LOCAL_STACK_NAME,
      stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${LOCAL_STACK_NAME}/local`,
      creationTime: new Date(),
      outputs,
    });
    closers.push(() => cloudFormation.close());

    const endpoints: LocalStackEndpoints = {
      sandbox: sandbox.endpoint,
      dynamodb: table.endpoint,
      stepFunctions: sfnApi.url,
      eventBridge: eventBridge.endpoint,
      cloudFormation: cloudFormation.endpoint,
    };
    return {
      sandbox,
      table,
      stepFunctions,
      bus,
      endpoints,
      region,
      stackName: LOCAL_STACK_NAME,
      outputs,
      env: {
        AWS_REGION: region,
        AWS_ENDPOINT_URL: endpoints.sandbox,
        AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions,
        AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
        AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
        AWS_ENDPOINT_URL_CLOUDFORMATION: endpoints.cloudFormation,
        AWS_ACCESS_KEY_ID: sandbox.managementCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: sandbox.managementCredentials.secretAccessKey,
        ROOTKEEPER_STACK_NAME: LOCAL_STACK_NAME,
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
