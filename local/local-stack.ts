import type { RootkeeperConfig } from '../lib/config';
import { WITHOUT_APPROVALS } from '../lib/approvals/approval-config';
import { buildRootkeeperApp } from '../lib/build-app';
import { RESULTS_TABLE_VARIABLE } from '../lambdas/shared/function-variables';
import { startSandbox, type Sandbox, type SandboxConnection, type SandboxOptions } from '../sandbox';
import { startCloudFormationServer } from './cloudformation-server';
import { startLocalDynamoDb, type LocalResultsTable } from './dynamodb/local-dynamodb';
import {
  createLocalEventBus,
  rulesFromTemplate,
  startEventBridgeServer,
  type LocalEventBus,
} from './eventbridge';
import { BusWorld } from './eventbridge/bus-world';
import { principalArn } from './iam/evaluate-request';
import { templatePolicies, type PolicyDocument } from './iam/resource-policies';
import { LocalStepFunctions, startStepFunctionsApi, type PutEventsEntry } from './step-functions';
import { startFunctionUrlServer, type KeyHolder } from './lambda-url/function-url-server';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDecideApprovalHandler } from '../lambdas/handlers/decide-approval';
import { DECIDE_APPROVAL_URL_OUTPUT, GATED_STATE_MACHINES_VARIABLE } from '../lib/approvals/approval-event';
import { GO_AHEAD_STATE_MACHINES_VARIABLE } from '../lib/workflows/go-ahead';
import { DECIDE_APPROVAL_FUNCTION } from '../lib/function-catalog';
import { readTemplate, type TemplateJson } from './template';
import { resolveValue } from './template/intrinsics';
import { LocalNames } from './template/local-names';
import { ROOTKEEPER_STACK_NAME } from '../lib/stack-name';

export interface LocalStackOptions {
  /** Size of the generated organization (ignored when `sandbox.organization` is given). Default 25. */
  readonly accounts?: number;
  readonly seed?: number;
  /** Generated accounts whose root access key was used in the last days (ignored with `sandbox.organization`). Default 0. */
  readonly keysInUseAccounts?: number;
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
  /**
   * `delegated-admin`: the service is deployed into the sandbox's delegated
   * administrator (the organization fixture must name one), its forwarders
   * into the management account, each account and region with its own buses.
   * Default `management`.
   */
  readonly deployment?: 'management' | 'delegated-admin';
  /** The results table (dynalite) in a process of its own (the benchmark's). Default false. */
  readonly tableInOwnProcess?: boolean;
  /** Identity policies of principals outside the templates (e.g. a vending pipeline's role), by role or user ARN. */
  readonly identityPolicies?: Readonly<Record<string, readonly PolicyDocument[]>>;
}

/** An account and region of the local world, and its buses. */
export interface LocalAccountRegion {
  readonly role: 'service' | 'forwarder';
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly bus: LocalEventBus;
}

export interface LocalStackEndpoints {
  readonly sandbox: string;
  readonly dynamodb: string;
  readonly stepFunctions: string;
  readonly eventBridge: string;
  readonly cloudFormation: string;
  /** The Decide approval function's URL (AuthType AWS_IAM, SigV4-authenticated). */
  readonly decideApproval: string;
}

/** The local stack on a sandbox in this process (its state and counters readable at once), or on another. */
export interface LocalStack<S extends SandboxConnection = Sandbox> {
  readonly sandbox: S;
  readonly table: LocalResultsTable;
  readonly stepFunctions: LocalStepFunctions;
  readonly bus: LocalEventBus;
  /** Every account and region with buses (the service's, and its forwarders'), and the policies between them. */
  readonly world: BusWorld;
  readonly locations: readonly LocalAccountRegion[];
  /** The account the service is deployed into (the management account, or the delegated administrator). */
  readonly serviceAccountId: string;
  readonly endpoints: LocalStackEndpoints;
  readonly region: string;
  readonly stackName: string;
  /** The stack outputs with local values: ResultsTableName, the state machine ARNs, EventBusName. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What a command-line process needs to reach the local stack with an unmodified AWS SDK. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** The local stack stands for the deployed one: the command line finds it by the same name. */
export const LOCAL_STACK_NAME = ROOTKEEPER_STACK_NAME;

/** The sandbox's users are administrators: their own policies allow any PutEvents; bus policies decide. */
const SANDBOX_USER_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }],
};

/** The IAM user the sandbox gives an account's credentials (sandbox/build-world.ts). */
function sandboxUserArn(sandbox: SandboxConnection, accountId: string): string {
  const userName = accountId === sandbox.managementAccountId ? 'sandbox-admin' : 'sandbox-delegated-admin';
  return `arn:aws:iam::${accountId}:user/${userName}`;
}

/** The variables the in-process handlers run with: AWS_ENDPOINT_URL and its per-service overrides. */
function handlerEnvironment(
  sandbox: SandboxConnection,
  table: LocalResultsTable,
  credentials = sandbox.managementCredentials,
): Record<string, string> {
  return {
    AWS_REGION: sandbox.region,
    AWS_DEFAULT_REGION: sandbox.region,
    AWS_ENDPOINT_URL: sandbox.endpoint,
    // The SDK honours AWS_ENDPOINT_URL_<SERVICE> over AWS_ENDPOINT_URL.
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
    [RESULTS_TABLE_VARIABLE]: table.tableName,
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
  const sandbox = await startSandbox(localSandboxOptions(options));
  try {
    const stack = await startLocalStackOn(sandbox, options);
    return {
      ...stack,
      close: async () => {
        await stack.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** The sandbox organization the options describe (startLocalStackOn's caller may start it elsewhere). */
export function localSandboxOptions(options: LocalStackOptions): SandboxOptions {
  return {
    organization: {
      generate: {
        accounts: options.accounts ?? 25,
        seed: options.seed ?? 1,
        keysInUseAccounts: options.keysInUseAccounts ?? 0,
      },
    },
    ...options.sandbox,
  };
}

/**
 * The local stack on a sandbox already running (e.g. in its own process,
 * startSandboxProcess): the caller keeps it and closes it after the stack.
 * The options' `accounts`, `seed`, `keysInUseAccounts` and `sandbox` are the caller's to apply.
 */
export async function startLocalStackOn<S extends SandboxConnection>(
  sandbox: S,
  options: LocalStackOptions = {},
): Promise<LocalStack<S>> {
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const region = sandbox.region;
    const managementAccountId = sandbox.managementAccountId;
    const delegated = options.deployment === 'delegated-admin';
    const delegatedAdministrator = sandbox.delegatedAdministratorAccountId;
    const serviceCredentials = delegated
      ? sandbox.delegatedAdministratorCredentials
      : sandbox.managementCredentials;
    if (delegated && (delegatedAdministrator === undefined || serviceCredentials === undefined)) {
      throw new Error(
        'deployment delegated-admin: the sandbox organization must name a delegated administrator',
      );
    }
    const accountId = delegated ? (delegatedAdministrator ?? '') : managementAccountId;

    const { app, stack, forwarders } = buildRootkeeperApp({
      config: {
        managementAccountId,
        // The local operator (the sandbox user of the deploying account) may send Account Vended.
        vendingPrincipalArns: [sandboxUserArn(sandbox, accountId)],
        ...(delegated ? { deployment: 'delegated-admin' as const } : {}),
        // One operator principal by default: approvals are off unless the caller configures them.
        approvals: WITHOUT_APPROVALS,
        ...options.config,
      },
      bundling: false,
      env: { account: accountId, region },
    });
    const assembly = app.synth();
    const template = assembly.getStackByName(stack.stackName).template as TemplateJson;
    const nameOptions = { region, accountId, stackName: LOCAL_STACK_NAME };
    const local = readTemplate(template, nameOptions);
    const tableName = local.tables[0]?.name;
    if (tableName === undefined) throw new Error('the synthesized stack has no results table');

    const table = await startLocalDynamoDb({
      tableName,
      region,
      inOwnProcess: options.tableInOwnProcess ?? false,
    });
    closers.push(() => table.close());

    const names = new LocalNames(template, nameOptions);
    const rules = rulesFromTemplate(template, {
      region,
      account: accountId,
      resolve: (value) => resolveValue(value, names),
    });
    // The forwarder stacks, each as deployed in its account and region.
    const forwarderWorlds = forwarders.map((forwarder) => {
      const forwarderTemplate = assembly.getStackByName(forwarder.stackName).template as TemplateJson;
      const location = { account: forwarder.account, region: forwarder.region };
      const forwarderNames = {
        region: location.region,
        accountId: location.account,
        stackName: forwarder.stackName,
      };
      const localNames = new LocalNames(forwarderTemplate, forwarderNames);
      return {
        stackName: forwarder.stackName,
        location,
        policies: templatePolicies(forwarderTemplate, forwarderNames),
        rules: rulesFromTemplate(forwarderTemplate, {
          ...location,
          resolve: (value) => resolveValue(value, localNames),
        }),
      };
    });
    const servicePolicies = templatePolicies(template, nameOptions);
    const roles = new Map<string, readonly PolicyDocument[]>();
    for (const { location, policies } of [
      { location: { account: accountId, region }, policies: servicePolicies },
      ...forwarderWorlds,
    ]) {
      for (const [roleName, documents] of policies.roles) {
        roles.set(`arn:aws:iam::${location.account}:role/${roleName}`, documents);
      }
    }
    const world = new BusWorld({
      busPolicy: (location, busName) =>
        location.account === accountId && location.region === region
          ? servicePolicies.buses.get(busName)
          : forwarderWorlds
              .find((f) => f.location.account === location.account && f.location.region === location.region)
              ?.policies.buses.get(busName),
      identityPolicies: (principal) => {
        const arn = principalArn(principal);
        const documents =
          typeof arn === 'string' ? (roles.get(arn) ?? options.identityPolicies?.[arn]) : undefined;
        return documents ?? (principal.includes(':user/sandbox-') ? [SANDBOX_USER_POLICY] : []);
      },
    });
    // The runner and the bus call each other (a workflow's events start
    // workflows); neither calls the other while being built.
    const stepFunctions: LocalStepFunctions = new LocalStepFunctions({
      template: local,
      dynamodb: table.client,
      putEvents: (entries) => bus.putEvents(toSdkEntries(entries)).Entries,
      environment: {
        ...handlerEnvironment(sandbox, table, serviceCredentials),
        ...options.handlerEnvironment,
      },
      ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    });
    const serviceLocation = { account: accountId, region };
    const bus = createLocalEventBus({
      rules,
      region,
      account: accountId,
      startExecution: ({ stateMachineArn, input }) =>
        Promise.resolve(stepFunctions.startExecution(stateMachineArn, { input })),
      authorize: world.authorizer(serviceLocation),
      deliverToBus: world.deliverToBus,
    });
    world.add(serviceLocation, bus);
    const locations: LocalAccountRegion[] = [
      { role: 'service', stackName: stack.stackName, ...serviceLocation, bus },
    ];
    for (const forwarder of forwarderWorlds) {
      const forwarderBus = createLocalEventBus({
        rules: forwarder.rules,
        ...forwarder.location,
        startExecution: () => Promise.reject(new Error('no state machine in a forwarder account')),
        authorize: world.authorizer(forwarder.location),
        deliverToBus: world.deliverToBus,
      });
      world.add(forwarder.location, forwarderBus);
      locations.push({
        role: 'forwarder',
        stackName: forwarder.stackName,
        ...forwarder.location,
        bus: forwarderBus,
      });
    }
    closers.push(() => stepFunctions.dispose());

    const callerPrincipal = (accessKeyId: string) => {
      for (const [credentials, account] of [
        [sandbox.managementCredentials, managementAccountId],
        [sandbox.delegatedAdministratorCredentials, delegatedAdministrator],
      ] as const) {
        if (credentials?.accessKeyId === accessKeyId && account !== undefined) {
          return { account, principalArn: sandboxUserArn(sandbox, account) };
        }
      }
      return undefined;
    };
    const eventBridge = await startEventBridgeServer(bus, { callerPrincipal });
    closers.push(() => eventBridge.close());
    const sfnApi = await startStepFunctionsApi(stepFunctions);
    closers.push(() => sfnApi.close());

    // The Decide approval function behind its function URL, on loopback:
    // the real handler, its clients on the local Step Functions API and
    // table, the gated workflows as the template gives them to the function.
    const keyHolders: KeyHolder[] = [];
    for (const [credentials, account] of [
      [sandbox.managementCredentials, managementAccountId],
      [sandbox.delegatedAdministratorCredentials, delegatedAdministrator],
    ] as const) {
      if (credentials !== undefined && account !== undefined) {
        keyHolders.push({ ...credentials, account, principalArn: sandboxUserArn(sandbox, account) });
      }
    }
    const decideFunction = local.functions.find((fn) => fn.spec?.id === DECIDE_APPROVAL_FUNCTION.id);
    if (decideFunction === undefined)
      throw new Error('the synthesized stack has no Decide approval function');
    const decisionSfn = new SFNClient({
      region,
      endpoint: sfnApi.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    closers.push(() => Promise.resolve(decisionSfn.destroy()));
    const decideApproval = createDecideApprovalHandler(() => ({
      sfn: decisionSfn,
      documentClient: DynamoDBDocumentClient.from(table.client),
      tableName,
      gatedStateMachineArns: (decideFunction.environment[GATED_STATE_MACHINES_VARIABLE] ?? '')
        .split(',')
        .filter((arn) => arn !== ''),
      goAheadStateMachineArns: (decideFunction.environment[GO_AHEAD_STATE_MACHINES_VARIABLE] ?? '')
        .split(',')
        .filter((arn) => arn !== ''),
    }));
    const functionUrl = await startFunctionUrlServer({
      region,
      account: accountId,
      keyHolder: (accessKeyId) => keyHolders.find((holder) => holder.accessKeyId === accessKeyId),
      function: decideFunction,
      handler: decideApproval,
    });
    closers.push(() => functionUrl.close());

    const outputs: Record<string, string> = {
      ...local.outputs,
      [DECIDE_APPROVAL_URL_OUTPUT]: functionUrl.url,
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
      decideApproval: functionUrl.url,
    };
    return {
      sandbox,
      table,
      stepFunctions,
      bus,
      world,
      locations,
      serviceAccountId: accountId,
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
        AWS_ACCESS_KEY_ID: (serviceCredentials ?? sandbox.managementCredentials).accessKeyId,
        AWS_SECRET_ACCESS_KEY: (serviceCredentials ?? sandbox.managementCredentials).secretAccessKey,
        ROOTKEEPER_STACK_NAME: LOCAL_STACK_NAME,
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
