/**
 * The environment of one organization size: the local stack (sandbox with
 * the bench's model and results table, each in a process of its own;
 * synthesized workflows, local runner and handlers in this one).
 * A fresh stack per fault setting, so that every Rootkeeper run is the
 * organization's first audit, as the others are the first for their script.
 * When the local stack cannot start, the baselines still run on the sandbox
 * alone and the report says Rootkeeper is missing.
 */
import { DEFAULT_CONFIG } from '../lib/config';
import { localSandboxOptions, startLocalStackOn, type LocalStack } from '../local/local-stack';
import { startSandboxProcess, type SandboxProcess } from '../sandbox';
import { sandboxModel, startSandboxOnly, type BenchEnvironment } from './environment';
import { peakRssMbOf } from './machine';
import type { BenchOptions } from './options';
import { runRootkeeper } from './strategies/rootkeeper';
import { workflowSettings } from './workflow-settings';

export async function startBenchEnvironment(
  options: BenchOptions,
  accounts: number,
  log: (line: string) => void,
): Promise<BenchEnvironment> {
  const stackOptions = {
    accounts,
    seed: options.seed,
    sandbox: sandboxModel(options),
    // The table's CPU and memory apart too: this process runs the runner and the handlers.
    tableInOwnProcess: true,
  };
  let stack: LocalStack<SandboxProcess>;
  try {
    const sandbox = await startSandboxProcess(localSandboxOptions(stackOptions));
    stack = await startLocalStackOn(sandbox, stackOptions).catch(async (error: unknown) => {
      await sandbox.close();
      throw error;
    });
  } catch (error) {
    log(`  the local stack did not start (${String(error).split('\n')[0] ?? ''}): baselines only`);
    return startSandboxOnly(options, accounts, log);
  }
  const batch = stack.stepFunctions.template.functions.find((fn) =>
    fn.logicalId.includes('AuditAccountBatch'),
  );
  const auditArn = stack.stepFunctions.stateMachineArn('AuditOrganizationStateMachineArn');
  const audit = stack.stepFunctions.template.stateMachines.find((machine) => machine.arn === auditArn);
  const deployed = audit ? workflowSettings(audit.definitionString) : {};
  return {
    sandbox: stack.sandbox,
    log,
    rootkeeper: (timeLimitMs) => runRootkeeper(stack, timeLimitMs),
    settings: {
      auditConcurrency: deployed.auditConcurrency ?? DEFAULT_CONFIG.auditConcurrency,
      auditShardSize: deployed.auditShardSize ?? DEFAULT_CONFIG.auditShardSize,
      lambdaMemoryMb: batch?.memorySizeMb ?? 512,
    },
    emulatorMemory: () => ({
      sandboxPeakRssMb: peakRssMbOf(stack.sandbox.pid),
      ...(stack.table.pid === undefined ? {} : { tablePeakRssMb: peakRssMbOf(stack.table.pid) }),
    }),
    close: async () => {
      await stack.close();
      await stack.sandbox.close();
    },
  };
}
