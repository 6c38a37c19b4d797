import type { SFNClient } from '@aws-sdk/client-sfn';
import { pendingGoAheadOf, savePlan } from '../../cli/remediation-run';
import type { RemediationPlan } from '../../lambdas/root-access/remediation-plan';
import type { FakeOrganization } from './fake-organization';
import type { PlanEntry } from './remediation-plans';
import type { WorkflowHarness } from './workflow-harness';

/** The steps the Remediate organization tests share: start a saved plan, wait for its gate, read a run. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds the plan's accounts to the organization, saves the plan and starts the run named `run`. */
export async function startPlannedRun(
  harness: WorkflowHarness,
  org: FakeOrganization,
  run: string,
  plan: RemediationPlan,
  entries: readonly PlanEntry[],
  input: Record<string, unknown>,
): Promise<{ run: string; executionArn: string }> {
  for (const entry of entries) org.add(entry.accountId, structuredClone(entry.root));
  await savePlan(harness.table, 'results', run, plan);
  const { executionArn } = harness.runner.startExecution(harness.arn('remediateOrganization'), {
    name: run,
    input: input as never,
  });
  return { run, executionArn };
}

/** The go-ahead the run waits for, read as `remediate --continue` reads it; throws if the run ends first. */
export async function waitingForGoAhead(harness: WorkflowHarness, sfn: SFNClient, executionArn: string) {
  for (let i = 0; i < 400; i += 1) {
    const pending = await pendingGoAheadOf(sfn, executionArn);
    if (pending !== undefined) return pending;
    if (harness.runner.describeExecution(executionArn).status !== 'RUNNING') break;
    await sleep(25);
  }
  throw new Error(
    `the run never waited for a go-ahead: ${harness.runner.describeExecution(executionArn).status}`,
  );
}

/** The run record the execution wrote for one account. */
export async function runOf(harness: WorkflowHarness, accountId: string, executionArn: string) {
  const items = await harness.query(`ACCOUNT#${accountId}`, 'RUN#');
  return items.find((item) => item.executionArn === executionArn);
}
