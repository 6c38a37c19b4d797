/** Everything one `npm run bench` measured, as the JSON and Markdown reports carry it. */
import type { Floor } from '../floor';
import type { Row } from '../result';
import type { StrategyName } from '../types';
import type { Series } from './svg-chart';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
}

/** The quota, latency and fault model the sandbox ran with. */
export interface ModelDescription {
  readonly seed: number;
  readonly latency: { readonly medianMs: number; readonly p99Ms: number };
  readonly quotas: Readonly<Record<string, { readonly ratePerSecond: number; readonly burst: number }>>;
  readonly pageSize: number;
  readonly faultSettings: Readonly<Record<string, string>>;
  readonly auditConcurrency?: number;
  readonly auditShardSize?: number;
  readonly lambdaMemoryMb?: number;
}

export interface Scenario {
  /** Accounts generated (the --accounts figure). */
  readonly accounts: number;
  /** ACTIVE member accounts among them: what an audit must record. */
  readonly eligibleAccounts: number;
  readonly faults: string;
  readonly floor: Floor;
  /** Under faults, the honest fault floor: throttled calls' tokens and round trips counted. */
  readonly faultFloor?: Floor;
  /** The same floor with the per-OU enumeration (ListAccountsForParent in parallel). */
  readonly parallelFloor?: Floor;
  /** Best case of a list-everything-then-audit structure (see floor.ts), ms. */
  readonly listThenAuditMs?: number;
  readonly rows: readonly Row[];
  /** Strategies asked for but not measured (Rootkeeper when the local stack did not start). */
  readonly notMeasured?: readonly StrategyName[];
  readonly chartFile?: string;
  readonly series?: readonly Series[];
}

export interface TimedCall {
  readonly operation: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface NewAccountPath {
  readonly recorded: boolean;
  readonly correct: boolean;
  readonly wallMs: number;
  /** Calls on the critical path, in order, that each waited for the previous one. */
  readonly sequentialRoundTrips: number;
  readonly awsCalls: number;
  readonly calls: readonly TimedCall[];
  readonly note?: string;
}

export interface BenchReport {
  readonly generatedAt: string;
  readonly command: string;
  readonly machine: Machine;
  readonly model: ModelDescription;
  readonly scenarios: readonly Scenario[];
  readonly newAccount?: NewAccountPath;
  /** Highest resident memory (VmHWM) of the bench's processes (one per scenario), MB. */
  readonly processPeakRssMb: number;
  readonly notes: readonly string[];
}
