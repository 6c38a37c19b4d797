import { App, type Environment } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { logicalIdOf } from './acknowledge';
import { DEFAULT_CONFIG, parseConfig, type RootkeeperConfig } from './config';
import type { EventForwarderStack } from './event-forwarder-stack';
import { addRootkeeperStacks } from './rootkeeper-app';
import type { FunctionKey } from './function-catalog';
import type { GuardrailsStack } from './guardrails/guardrails-stack';
import type { RootkeeperStack } from './rootkeeper-stack';
import { WORKFLOWS, type WorkflowKey } from './workflows/names';

export interface BuildRootkeeperAppOptions {
  /** Overrides on top of the defaults, validated like cdk.json's. */
  readonly config?: Partial<RootkeeperConfig>;
  /** Bundle the functions with esbuild (slow); off by default for tests and the local runner. */
  readonly bundling?: boolean;
  /** Account and region; a region other than us-east-1 adds the event forwarder stack. */
  readonly env?: Environment;
  /** Where the cloud assembly goes; default: a temporary directory chosen by the App. */
  readonly outdir?: string;
}

/**
 * Builds the service's app in process, as `cdk synth` does but without
 * bundling by default: tests, the local runner and the benchmark synthesize
 * the very same stack in a few seconds.
 */
export function buildRootkeeperApp(options: BuildRootkeeperAppOptions = {}): {
  app: App;
  stack: RootkeeperStack;
  forwarder?: EventForwarderStack;
  forwarders: EventForwarderStack[];
  guardrails?: GuardrailsStack;
} {
  const app = new App({
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: options.bundling === true ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  const config = parseConfig({ ...DEFAULT_CONFIG, ...options.config });
  return { app, ...addRootkeeperStacks(app, config, options.env) };
}

/** Logical ids of what the local runner maps back to code and tables. */
export interface RootkeeperResourceIds {
  /** Function logical id → catalog key (and so its handler entry). */
  readonly functions: Readonly<Record<string, FunctionKey>>;
  /** Workflow key → state machine logical id and the output naming its ARN. */
  readonly stateMachines: Readonly<Record<WorkflowKey, { logicalId: string; output: string }>>;
  readonly resultsTable: string;
  readonly eventBus: string;
}

export function rootkeeperResourceIds(stack: RootkeeperStack): RootkeeperResourceIds {
  const functions: Record<string, FunctionKey> = {};
  for (const [key, fn] of Object.entries(stack.functions.functions) as [FunctionKey, IConstruct][]) {
    functions[logicalIdOf(fn)] = key;
  }
  const stateMachines = Object.fromEntries(
    (Object.keys(WORKFLOWS) as WorkflowKey[]).map((key) => [
      key,
      { logicalId: logicalIdOf(stack.workflows.stateMachines[key]), output: WORKFLOWS[key].output },
    ]),
  ) as Record<WorkflowKey, { logicalId: string; output: string }>;
  return {
    functions,
    stateMachines,
    resultsTable: logicalIdOf(stack.results.table),
    eventBus: logicalIdOf(stack.triggers.eventBus),
  };
}
