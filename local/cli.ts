import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack } from './local-stack';

/** Where `npm run local` describes the running stack for other processes (gitignored). */
export const LOCAL_STATE_FILE = join(process.cwd(), '.rootkeeper', 'local.json');

function integer(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
  return value;
}

/**
 * `npm run local [-- --accounts N --seed S]`: the local stack, running until
 * Ctrl-C. Prints the endpoints, the stack outputs and the variables that
 * point any AWS client at it, and writes them to .rootkeeper/local.json.
 */
async function main(): Promise<void> {
  // The SDK warns once per process that Node 20 support ends in 2027: noise for a local tool.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: { accounts: { type: 'string', default: '25' }, seed: { type: 'string', default: '1' } },
  });
  const stack = await startLocalStack({
    accounts: integer('accounts', values.accounts),
    seed: integer('seed', values.seed),
  });
  const description = {
    region: stack.region,
    stackName: stack.stackName,
    endpoints: stack.endpoints,
    outputs: stack.outputs,
    managementAccountId: stack.sandbox.managementAccountId,
    credentials: stack.sandbox.managementCredentials,
    env: stack.env,
  };
  mkdirSync(join(process.cwd(), '.rootkeeper'), { recursive: true });
  writeFileSync(LOCAL_STATE_FILE, `${JSON.stringify(description, null, 2)}\n`);
  const lines = [
    'Rootkeeper local stack is running (Ctrl-C to stop).',
    '',
    ...Object.entries(stack.endpoints).map(([name, url]) => `  ${name.padEnd(15)} ${url}`),
    '',
    'Stack outputs:',
    ...Object.entries(stack.outputs).map(([key, value]) => `  ${key} = ${value}`),
    '',
    'Point an AWS client at it:',
    ...Object.entries(stack.env).map(([key, value]) => `  export ${key}=${value}`),
    '',
    `Written to ${LOCAL_STATE_FILE}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('Stopping the local stack...\n');
  await stack.close();
  rmSync(LOCAL_STATE_FILE, { force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
