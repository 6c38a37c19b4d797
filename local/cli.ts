import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStack, type LocalStack } from './local-stack';

/** Where `npm run local` describes the running stack for other processes (gitignored). */
export const LOCAL_STATE_FILE = join(process.cwd(), '.rootkeeper', 'local.json');

/** How long a stop may wait for open connections and executions before the process exits anyway. */
const STOP_GRACE_MS = 5_000;

function isDenyAll(policy: string | undefined): boolean {
  return policy !== undefined && /"Effect"\s*:\s*"Deny"/.test(policy);
}

/** The buckets and queues whose policy denies everyone: what the unlock commands are for. */
function lockedResources(stack: LocalStack): string[] {
  const buckets = stack.sandbox.state
    .buckets()
    .filter((bucket) => isDenyAll(bucket.policy))
    .map((bucket) => `  bucket  ${bucket.name}  (account ${bucket.account}, ${bucket.region})`);
  const queues = stack.sandbox.state
    .queues()
    .filter((queue) => isDenyAll(queue.attributes.Policy))
    .map(
      (queue) =>
        `  queue   https://sqs.${queue.region}.amazonaws.com/${queue.account}/${queue.name}  (account ${queue.account})`,
    );
  const all = [...buckets, ...queues];
  return all.length > 0 ? all : ['  (none)'];
}

function integer(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${raw}`);
  return value;
}

/**
 * `npm run local [-- --accounts N --seed S --keys-in-use K]`: the local stack, running until
 * Ctrl-C. K accounts (default 3) have a root access key used in the last days,
 * for `rootkeeper remediate --plan` and KEY_IN_USE. Prints the endpoints, the stack outputs and the variables that
 * point any AWS client at it, and writes them to .rootkeeper/local.json.
 */
async function main(): Promise<void> {
  // The SDK warns once per process that Node 20 support ends in 2027: noise for a local tool.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '25' },
      seed: { type: 'string', default: '1' },
      'keys-in-use': { type: 'string', default: '3' },
    },
  });
  const stack = await startLocalStack({
    accounts: integer('accounts', values.accounts),
    seed: integer('seed', values.seed),
    keysInUseAccounts: integer('keys-in-use', values['keys-in-use']),
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
    'Locked now (a policy that denies everyone), to try the unlock commands on:',
    ...lockedResources(stack),
    '',
    'Point an AWS client at it:',
    ...Object.entries({ ...stack.env, AWS_DEFAULT_REGION: stack.region }).map(
      ([key, value]) => `  export ${key}=${value}`,
    ),
    '',
    `Written to ${LOCAL_STATE_FILE}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stdout.write('Stopping the local stack (running executions are stopped)...\n');
  rmSync(LOCAL_STATE_FILE, { force: true });
  // A second Ctrl-C, or a close that waits on an open connection, never leaves the terminal hanging.
  const force = () => {
    process.stdout.write('Stopped without waiting for the last connections.\n');
    process.exit(130);
  };
  process.once('SIGINT', force);
  setTimeout(force, STOP_GRACE_MS).unref();
  await stack.close();
  process.stdout.write('Stopped.\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
