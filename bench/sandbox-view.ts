/**
 * Reads what the bench needs from the sandbox: its counters, its true root
 * credentials, and the shape of the organization (for the per-OU floor).
 * The only file that knows the sandbox's API.
 */
import type { MetricsSummary, SandboxState } from '../sandbox';
import { truePosture } from './correctness';
import type { CallCounts } from './result';
import type { PostureFlags } from './types';

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
export function truthOf(state: SandboxState): Map<string, PostureFlags> {
  const management = state.organization().managementAccountId;
  const truth = new Map<string, PostureFlags>();
  for (const account of state.accounts()) {
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

export function shapeOf(state: SandboxState): OrganizationShape {
  const rootId = state.organization().rootId;
  const ous = state.organizationalUnits();
  const parentOf = new Map(ous.map((ou) => [ou.id, ou.parentId]));
  const depth = (id: string): number => {
    let d = 0;
    for (let at = id; at !== rootId && d <= ous.length; d += 1) at = parentOf.get(at) ?? rootId;
    return d;
  };
  const perParent = new Map<string, number>([[rootId, 0], ...ous.map((ou): [string, number] => [ou.id, 0])]);
  const accounts = state.accounts();
  for (const account of accounts) perParent.set(account.parentId, (perParent.get(account.parentId) ?? 0) + 1);
  return {
    listedAccounts: accounts.length,
    accountsPerParent: [...perParent.values()],
    ouDepth: Math.max(0, ...ous.map((ou) => depth(ou.id))),
  };
}
