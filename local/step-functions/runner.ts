import './promise-with-resolvers';
import * as path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  readTemplate,
  type LocalFunction,
  type LocalStateMachine,
  type LocalTemplate,
  type ReadTemplateOptions,
  type TemplateJson,
} from '../template';
import { compileMachine, type CompiledMachine, type DistributedMapSpec } from './compile';
import { runDistributedMap, type MapChild, type MapHost } from './distributed-map';
import { applyEnvironment, unionEnvironment } from './environment';
import { SfnApiError } from './errors';
import {
  executionInput,
  executionName,
  newRecord,
  sumMetrics,
  usesDynamoDb,
  withMapChildren,
} from './records';
import type { PutEventsEntry, PutEventsFunction } from './events-task';
import { launchExecution, type RunningExecution } from './execution';
import { InProcessLambda } from './lambda-task';
import { ExecutionStore, type ExecutionFilter } from './store';
import { taskHandlersFor, type TaskServices } from './task-handlers';
import { TaskTokenRegistry } from './task-tokens';
import type { ExecutionMetrics, ExecutionRecord, Json, MapRunRecord } from './types';

export interface LocalStepFunctionsOptions extends ReadTemplateOptions {
  /** A synthesized template (`Template.fromStack(stack).toJSON()`), or one already read. */
  readonly template: TemplateJson | LocalTemplate;
  /** Where catalog entries are resolved from; the repository root by default. */
  readonly rootDir?: string;
  /** The local DynamoDB for `dynamodb:*` states: a client, or an endpoint to build one for. */
  readonly dynamodb?: DynamoDBClient | { readonly endpoint: string };
  /** The local EventBridge bus; without one, events are only recorded in `publishedEvents`. */
  readonly putEvents?: PutEventsFunction;
  /** Variables that win over the functions' own (e.g. AWS_ENDPOINT_URL of the sandbox). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Set false to leave process.env alone (the caller sets it). */
  readonly applyEnvironment?: boolean;
  /** Replaces every Retry interval (milliseconds), for fast tests; AWS's backoff otherwise. */
  readonly retryDelayMs?: number;
  readonly waitOverrideMs?: number;
  /** Concurrency of a Distributed Map that sets no MaxConcurrency. */
  readonly distributedMapDefaultConcurrency?: number;
  /** Enforce each function's configured timeout (Sandbox.Timedout). Default true. */
  readonly enforceLambdaTimeouts?: boolean;
}

interface DeployedStateMachine {
  readonly local: LocalStateMachine;
  readonly compiled: CompiledMachine;
  readonly creationDate: Date;
}

export interface StartExecutionInput {
  readonly name?: string;
  /** A JSON text (as the API takes it) or a value to serialize. */
  readonly input?: string | Json;
}

function isLocalTemplate(template: TemplateJson | LocalTemplate): template is LocalTemplate {
  return 'stateMachines' in template;
}

/**
 * The state machines of a synthesized CDK template, executed locally with
 * aws-local-stepfunctions; Lambda states run the real handlers in process.
 */
export class LocalStepFunctions implements MapHost {
  readonly template: LocalTemplate;
  readonly store = new ExecutionStore();
  /** Every event the workflows put, in order (also sent to `putEvents` when given). */
  readonly publishedEvents: PutEventsEntry[] = [];
  /** Tokens of the callback tasks (`.waitForTaskToken`) that are waiting or were closed. */
  readonly taskTokens = new TaskTokenRegistry();
  readonly defaultConcurrency: number;
  readonly arnPrefix: string;
  private readonly machines = new Map<string, DeployedStateMachine>();
  private readonly running = new Map<string, RunningExecution>();
  private readonly services: TaskServices;
  private readonly restoreEnvironment: () => void;
  private readonly ownDynamoClient?: DynamoDBClient;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    const template = isLocalTemplate(options.template)
      ? options.template
      : readTemplate(options.template, options);
    this.template = template;
    this.arnPrefix = `arn:${template.partition}:states:${template.region}:${template.accountId}`;
    this.defaultConcurrency = options.distributedMapDefaultConcurrency ?? 40;
    const runnable = template.functions.filter((fn) => fn.spec !== undefined);
    const names = new Set(runnable.map((fn) => fn.name));
    for (const local of template.stateMachines) {
      const compiled = compileMachine(local.name, JSON.parse(local.definitionString), names);
      this.machines.set(local.arn, { local, compiled, creationDate: new Date() });
    }
    const usesDynamo = [...this.machines.values()].some((machine) => usesDynamoDb(machine.compiled));
    if (usesDynamo && options.dynamodb === undefined) {
      throw new Error(
        'the state machines use DynamoDB integrations: pass the `dynamodb` option (local endpoint)',
      );
    }
    if (options.dynamodb !== undefined && !(options.dynamodb instanceof DynamoDBClient)) {
      this.ownDynamoClient = new DynamoDBClient({
        endpoint: options.dynamodb.endpoint,
        region: template.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        // Step Functions' integration does not retry: Retry rules in the definition do.
        maxAttempts: 1,
      });
    }
    this.services = {
      region: template.region,
      functions: new Map<string, LocalFunction>(runnable.map((fn) => [fn.name, fn])),
      lambda: new InProcessLambda(
        options.rootDir ?? path.resolve(__dirname, '../..'),
        options.enforceLambdaTimeouts ?? true,
      ),
      dynamodb:
        this.ownDynamoClient ?? (options.dynamodb instanceof DynamoDBClient ? options.dynamodb : undefined),
      putEvents: options.putEvents ?? (() => undefined),
      publishedEvents: this.publishedEvents,
      taskTokens: this.taskTokens,
      startExecution: (arn, name, input) => this.startExecution(arn, { name, input }),
      runDistributedMap: (execution, spec, input) => runDistributedMap(this, execution, spec, input),
    };
    const environment = unionEnvironment(runnable, template.region, options.environment);
    this.restoreEnvironment =
      options.applyEnvironment === false ? () => undefined : applyEnvironment(environment);
  }

  /** The deployed state machines with their local ARNs. */
  listStateMachines(): { local: LocalStateMachine; creationDate: Date }[] {
    return [...this.machines.values()].map(({ local, creationDate }) => ({ local, creationDate }));
  }

  describeStateMachine(stateMachineArn: string): { local: LocalStateMachine; creationDate: Date } {
    const machine = this.machine(stateMachineArn);
    return { local: machine.local, creationDate: machine.creationDate };
  }

  /** A state machine's ARN by its logical id, name, or stack output name. */
  stateMachineArn(key: string): string {
    const machine = [...this.machines.values()].find(
      (m) => m.local.logicalId === key || m.local.name === key,
    );
    const arn = machine?.local.arn ?? this.template.outputs[key];
    if (arn === undefined || !this.machines.has(arn)) throw new Error(`no state machine ${key}`);
    return arn;
  }

  private machine(stateMachineArn: string): DeployedStateMachine {
    if (!stateMachineArn.startsWith('arn:'))
      throw new SfnApiError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    const machine = this.machines.get(stateMachineArn);
    if (machine === undefined && /:stateMachine:[^:/]+\/[^:]+$/.test(stateMachineArn)) {
      // A Distributed Map's qualified ARN (<machine>/<label>): AWS refuses it so.
      throw new SfnApiError(
        'ValidationException',
        `cannot start an execution of a map run's ARN: '${stateMachineArn}'`,
      );
    }
    if (machine === undefined) {
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    return machine;
  }

  /**
   * StartExecution with AWS's idempotency: the same name and input while the
   * execution runs returns it again; a different input, or a closed
   * execution of that name, is ExecutionAlreadyExists.
   */
  startExecution(
    stateMachineArn: string,
    request: StartExecutionInput = {},
  ): { executionArn: string; startDate: Date } {
    const machine = this.machine(stateMachineArn);
    const input = executionInput(request.input);
    const name = executionName(request.name);
    const executionArn = `${this.arnPrefix}:execution:${machine.local.name}:${name}`;
    const existing = this.store.find(executionArn);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record = newRecord(executionArn, name, stateMachineArn, input);
    this.launch(record, machine.compiled, machine.local.name, machine.local.roleArn);
    return { executionArn, startDate: record.startDate };
  }

  launchChild(
    parent: RunningExecution,
    spec: DistributedMapSpec,
    mapRun: MapRunRecord,
    name: string,
    input: Json,
  ): MapChild {
    const label = mapRun.stateMachineArn.split('/').pop() ?? spec.stateName;
    const executionArn = `${this.arnPrefix}:execution:${parent.stateMachineName}/${label}:${name}`;
    const record = newRecord(
      executionArn,
      name,
      mapRun.stateMachineArn,
      JSON.stringify(input),
      mapRun.mapRunArn,
    );
    const child = this.launch(record, spec.processor, `${parent.stateMachineName}/${label}`, parent.roleArn);
    return {
      record,
      done: child.done,
      abort: () =>
        child.stop({ type: 'ExecutionAborted', error: 'States.Aborted', cause: 'the map run was stopped' }),
    };
  }

  private launch(
    record: ExecutionRecord,
    compiled: CompiledMachine,
    stateMachineName: string,
    roleArn: string,
  ) {
    this.store.add(record);
    const execution = launchExecution({
      record,
      compiled,
      stateMachineName,
      roleArn,
      handlersFor: (running) => taskHandlersFor(this.services, running),
      retryDelayMs: this.options.retryDelayMs,
      waitOverrideMs: this.options.waitOverrideMs,
    });
    this.running.set(record.executionArn, execution);
    void execution.done.finally(() => {
      this.running.delete(record.executionArn);
      // A stopped execution's waiting tasks are closed: their tokens answer TaskTimedOut.
      this.taskTokens.closeExecution(record.executionArn);
    });
    return execution;
  }

  /** StopExecution: the execution ends ABORTED with the given error and cause. */
  stopExecution(executionArn: string, error = '', cause = ''): { stopDate: Date } {
    this.store.get(executionArn);
    this.running.get(executionArn)?.stop({ type: 'ExecutionAborted', error, cause });
    return { stopDate: new Date() };
  }

  /** SendTaskSuccess: the callback task's result is the output (a JSON text). */
  sendTaskSuccess(taskToken: unknown, output: unknown): void {
    this.taskTokens.sendSuccess(taskToken, output);
  }

  /** SendTaskFailure: the callback task fails with this error and cause. */
  sendTaskFailure(taskToken: unknown, error?: unknown, cause?: unknown): void {
    this.taskTokens.sendFailure(taskToken, error, cause);
  }

  /** SendTaskHeartbeat: resets the task's heartbeat clock. */
  sendTaskHeartbeat(taskToken: unknown): void {
    this.taskTokens.sendHeartbeat(taskToken);
  }

  describeExecution(executionArn: string): ExecutionRecord {
    return this.store.get(executionArn);
  }

  /** Resolves when the execution has ended and its history is complete. */
  async waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    const record = this.store.get(executionArn);
    await this.running.get(executionArn)?.done;
    return record;
  }

  /** Starts an execution and waits for its end. */
  async runExecution(stateMachineArn: string, request: StartExecutionInput = {}): Promise<ExecutionRecord> {
    const { executionArn } = this.startExecution(stateMachineArn, request);
    return this.waitForExecution(executionArn);
  }

  /** Resolves when no execution is running (including ones started by other executions). */
  async waitForIdle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()].map((execution) => execution.done));
    }
  }

  listExecutions(filter: ExecutionFilter): ExecutionRecord[] {
    if (filter.stateMachineArn !== undefined) this.machine(filter.stateMachineArn);
    if (filter.mapRunArn !== undefined) this.store.getMapRun(filter.mapRunArn);
    return this.store.list(filter);
  }

  listMapRuns(executionArn: string): MapRunRecord[] {
    return this.store.listMapRuns(executionArn);
  }

  describeMapRun(mapRunArn: string): MapRunRecord {
    return this.store.getMapRun(mapRunArn);
  }

  /**
   * State transitions (as AWS bills them) and Lambda invocations: of one
   * execution with its Distributed Map children, or of every execution.
   */
  metrics(executionArn?: string): ExecutionMetrics {
    const store = this.store;
    return sumMetrics(
      executionArn === undefined ? store.all() : withMapChildren(store, store.get(executionArn)),
    );
  }

  /** Stops running executions, restores process.env and closes the client this runner built. */
  async dispose(): Promise<void> {
    for (const execution of this.running.values()) {
      execution.stop({
        type: 'ExecutionAborted',
        error: 'States.Aborted',
        cause: 'the local runner was disposed',
      });
    }
    await this.waitForIdle();
    this.restoreEnvironment();
    this.ownDynamoClient?.destroy();
  }
}
