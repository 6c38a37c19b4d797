/**
 * What a scenario runs on, and the sandbox model every environment shares.
 * The sandbox runs in a process of its own, as AWS does: the strategy's
 * process holds only the strategy. The sandbox alone is the fallback when
 * the local stack cannot start: the baselines need nothing more, and the
 * report says Rootkeeper is missing.
 */
import { startSandboxProcess, type SandboxOptions } from '../sandbox';
import { peakRssMbOf } from './machine';
import type { BenchOptions } from './options';
import type { ScenarioEnv } from './scenario';

/** The workflow's settings, for the report. */
export interface Settings {
  readonly auditConcurrency: number;
  readonly auditShardSize: number;
  readonly lambdaMemoryMb: number;
}

/** Peak memory of the processes standing in for AWS (read before they close). */
export interface EmulatorMemory {
  readonly sandboxPeakRssMb?: number;
  readonly tablePeakRssMb?: number;
}

export interface BenchEnvironment extends ScenarioEnv {
  readonly settings?: Settings;
  emulatorMemory(): EmulatorMemory;
  close(): Promise<void>;
}

/** The sandbox options that carry the quota, latency and fault model of aws-facts.md. */
export function sandboxModel(options: BenchOptions): SandboxOptions {
  return {
    latency: { medianMs: options.latencyMedianMs, p99Ms: options.latencyP99Ms },
    quotas: {
      sts: { ratePerSecond: options.stsRate, burst: options.stsBurst },
      organizations: { ratePerSecond: options.organizationsRate, burst: options.organizationsBurst },
      iam: { ratePerSecond: options.iamRate, burst: options.iamBurst },
    },
    seed: options.seed,
  };
}

export async function startSandboxOnly(
  options: BenchOptions,
  accounts: number,
  log: (line: string) => void,
): Promise<BenchEnvironment> {
  const sandbox = await startSandboxProcess({
    organization: { generate: { accounts, seed: options.seed } },
    ...sandboxModel(options),
  });
  return {
    sandbox,
    log,
    emulatorMemory: () => ({ sandboxPeakRssMb: peakRssMbOf(sandbox.pid) }),
    close: () => sandbox.close(),
  };
}
