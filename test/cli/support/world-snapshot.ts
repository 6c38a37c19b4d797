import type { LocalStack } from '../../../local/local-stack';

/**
 * What "changes nothing" means for a command run against the local stack:
 * the resources it was aimed at read the same, no workflow execution was
 * started, and the sandbox answered no call that changes something. Taken
 * before and after the command, and compared whole, so a test's name can
 * promise "changes nothing" and check all of it.
 */
export interface WorldSnapshot {
  /** Each resource the test named, as read from the sandbox (a policy text…). */
  readonly resources: Readonly<Record<string, unknown>>;
  /** Every execution of every state machine, as `<state machine> <name>`, marked ` (dry run)` when read-only. */
  readonly executions: readonly string[];
  /** Every successful sandbox call of a changing action, as `<service>:<action> × <count>`. */
  readonly changingCalls: readonly string[];
}

/** Actions that change something, by the verb AWS's action names start with. */
const CHANGING_ACTION =
  /^(Put|Delete|Set|Create|Update|Deactivate|Enable|Disable|Remove|Attach|Detach|Add|Tag|Untag)/;

export function worldSnapshot(stack: LocalStack, resources: Record<string, () => unknown>): WorldSnapshot {
  return {
    resources: Object.fromEntries(Object.entries(resources).map(([name, read]) => [name, read()])),
    executions: stack.stepFunctions
      .listStateMachines()
      .flatMap(({ local }) => stack.stepFunctions.listExecutions({ stateMachineArn: local.arn }))
      .map((execution) => {
        const dryRun = (JSON.parse(execution.input) as { dryRun?: unknown }).dryRun === true;
        return `${execution.stateMachineArn} ${execution.name}${dryRun ? ' (dry run)' : ''}`;
      })
      .sort(),
    changingCalls: stack.sandbox.metrics
      .calls()
      .filter((call) => call.outcome === 'ok' && CHANGING_ACTION.test(call.action))
      .map((call) => `${call.service}:${call.action} (${call.account}) × ${call.count}`)
      .sort(),
  };
}

/** The executions in `after` that `before` did not have. */
export function executionsStartedBetween(before: WorldSnapshot, after: WorldSnapshot): string[] {
  return after.executions.filter((execution) => !before.executions.includes(execution));
}
