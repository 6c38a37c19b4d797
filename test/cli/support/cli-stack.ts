import { startLocalStack, type LocalStack } from '../../../local/local-stack';
import type { SandboxOptions } from '../../../sandbox';
import { organization, PROTECTED, REGION } from './local-organization';
import { cliEnvironment } from './subprocess';

export interface CliStack {
  readonly stack: LocalStack;
  /** The environment that points a `rootkeeper` subprocess at the stack. */
  readonly env: Record<string, string>;
}

/**
 * The local stack most command-line tests run against: the organization of
 * local-organization.ts with its features on (or the given sandbox
 * organization), PROTECTED a protected account, retries without waiting.
 */
export async function startCliStack(
  sandbox: Omit<SandboxOptions, 'region'> = { organization: organization(true) },
): Promise<CliStack> {
  const stack = await startLocalStack({
    sandbox: { ...sandbox, region: REGION },
    config: { protectedAccountIds: [PROTECTED] },
    retryDelayMs: 10,
  });
  return { stack, env: cliEnvironment(stack.env) };
}
