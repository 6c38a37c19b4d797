import { parseArgs } from 'node:util';
import { runApprovalSteps } from './approval-steps';
import { buildScenario } from './scenario';

/**
 * The main job's two-person steps, in a process of their own. The in-process
 * handlers share one process's module cache and environment (their SDK
 * clients are built once, for the first stack), so a second local stack, the
 * one deployed with approvals on, cannot run beside the main job's. The
 * result is one JSON line on stdout; everything else goes to stderr.
 */
async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: { accounts: { type: 'string' }, seed: { type: 'string' } },
  });
  const scenario = buildScenario({ accounts: Number(values.accounts), seed: Number(values.seed) });
  const result = await runApprovalSteps(scenario);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
