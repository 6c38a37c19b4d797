/**
 * Reads what the bench needs from the sandbox: its counters, its true root
 * credentials, and the shape of the organization (for the per-OU floor).
 * The only file that knows the sandbox's API. The scenarios' sandbox runs in
 * its own process and is read over its admin API; the new-account path's
 * runs in process, and reads the same shapes.
 */
import type { MetricsSummary, SandboxProcess, SandboxState } from '../sandbox';
import { truePosture, type TrueCredentials } from './correctness';
import type { CallCounts } from './result';
import type { PostureFlags } from './types';

/** The sandbox as a scenario uses it: where it listens, and its truth, counters and faults over the admin API. */
export type ScenarioSandbox = Pick<
  SandboxProcess,
  'endpoint' | 'region' | 'managementCredentials' | 'state' | 'metricsSummary' | 'setFaults'
>;

/** The part of the sandbox's state the bench reads: the admin snapshot has it, and so has the in-process state. */
export interface OrganizationSnapshot {
  readonly organization: { readonly managementAccountId: string; readonly rootId: string };
  readonly accounts: readonly {
    readonly id: string;
    readonly status: string;
    readonly parentId: string;
    readonly rootCredentials: TrueCredentials;
  }[];
  readonly organizationalUnits: readonly { readonly id: string; readonly parentId: string }[];
}

/** The same reads from a sandbox in this process. */
export function snapshotOf(state: SandboxState): OrganizationSnapshot {
  return {
    organization: state.organization(),
    accounts: state.accounts(),
    organizationalUnits: state.organizationalUnits(),
  };
}

export function countsOf(summary: MetricsSummary): CallCounts {
  return {
    total: summary.total,
    byOperation: { ...summary.byAction },
    throttled: summary.throttled,
    throttledByQuota: summary.throttledByQuota,
    failures: summary.faults,
  };
}

/** The accounts an audit must record (ACTIVE members, never the management account) and their truth. */
export function truthOf(snapshot: OrganizationSnapshot): Map<string, PostureFlags> {
  const management = snapshot.organization.managementAccountId;
  const truth = new Map<string, PostureFlags>();
  for (const account of snapshot.accounts) {
    if (account.id === management || account.status !== 'ACTIVE') continue;
    truth.set(account.id, truePosture(account.rootCredentials));
  }
  return truth;
}

export interface OrganizationShape {
  readonly listedAccounts: number;
  readonly accountsPerParent: number[];
  readonly ouDepth: number;
}

export function shapeOf(snapshot: OrganizationSnapshot): OrganizationShape {
  const rootId = snapshot.organization.rootId;
  const ous = snapshot.organizationalUnits;
  const parentOf = new Map(ous.map((ou) => [ou.id, ou.parentId]));
  const depth = (id: string): number => {
    let d = 0;
    for (let at = id; at !== rootId && d <= ous.length; d += 1) at = parentOf.get(at) ?? rootId;
    return d;
  };
  const perParent = new Map<string, number>([[rootId, 0], ...ous.map((ou): [string, number] => [ou.id, 0])]);
  for (const account of snapshot.accounts) {
    perParent.set(account.parentId, (perParent.get(account.parentId) ?? 0) + 1);
  }
  return {
    listedAccounts: snapshot.accounts.length,
    accountsPerParent: [...perParent.values()],
    ouDepth: Math.max(0, ...ous.map((ou) => depth(ou.id))),
  };
}
