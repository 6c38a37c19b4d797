import { InvalidInputError } from './errors';
import type { PlanItemState } from './remediation-progress';
import type { PlannedAccount, RemediationPlan, RemediationWave } from './remediation-plan';
import { planKey, plannedAccountKey } from '../../lib/results-table-keys';

/**
 * A remediation plan saved in the results table for its run, one item per
 * planned account (keys: lib/results-table-keys.ts): the execution input
 * stays small whatever the organization's size, the workflow reads one wave
 * at a time, and each item receives its account's outcome.
 */
export interface SavedPlanItem {
  readonly PK: string;
  readonly SK: string;
  readonly wave: number;
  readonly waveKind: RemediationWave['kind'];
  readonly accountId: string;
  /** The PlannedAccount as JSON text. */
  readonly account: string;
  readonly outcome?: string;
  readonly outcomeReason?: string;
}

export function savedPlanItems(run: string, plan: RemediationPlan): SavedPlanItem[] {
  return plan.waves.flatMap((wave) =>
    wave.accounts.map((account) => ({
      PK: planKey(run),
      SK: plannedAccountKey(wave.number, account.accountId),
      wave: wave.number,
      waveKind: wave.kind,
      accountId: account.accountId,
      account: JSON.stringify(account),
    })),
  );
}

export function planItemState(item: Record<string, unknown>): PlanItemState {
  const text = (key: string): string | undefined => (typeof item[key] === 'string' ? item[key] : undefined);
  return {
    wave: Number(item.wave),
    waveKind: item.waveKind === 'canary' ? 'canary' : 'rollout',
    accountId: text('accountId') ?? '',
    ...(text('outcome') === undefined ? {} : { outcome: text('outcome') }),
    ...(text('outcomeReason') === undefined ? {} : { outcomeReason: text('outcomeReason') }),
  };
}

export function plannedAccountOf(
  item: Record<string, unknown> | undefined,
  accountId: string,
): PlannedAccount {
  if (item === undefined || typeof item.account !== 'string') {
    throw new InvalidInputError('accountId', `${accountId} is not in the saved plan`);
  }
  return JSON.parse(item.account) as PlannedAccount;
}

/**
 * The access keys a planned account deletes although its plan flags them in
 * use (a plan built with includeKeysInUse). What the requester confirms on
 * its own and, with approvals on, an approver's go-ahead covers before the
 * first wave; RemediatePlannedAccount still decides on its own session's
 * listing, whatever the plan says.
 */
export function keysInUseDeleted(account: Partial<PlannedAccount>): string[] {
  const inUse = new Set(
    (account.risks ?? []).filter((risk) => risk.kind === 'KEY_IN_USE').map((risk) => risk.target),
  );
  return (account.deletions ?? [])
    .filter((deletion) => deletion.action === 'DeleteAccessKey' && inUse.has(deletion.target ?? ''))
    .map((deletion) => deletion.target ?? '');
}

/** Whether a saved plan item deletes an access key its plan flags as in use. */
export function deletesKeysInUse(item: Record<string, unknown>): boolean {
  if (typeof item.account !== 'string') return false;
  return keysInUseDeleted(JSON.parse(item.account) as Partial<PlannedAccount>).length > 0;
}
