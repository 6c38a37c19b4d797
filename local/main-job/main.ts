import { parseArgs } from 'node:util';
import { runMainJob } from './run-main-job';

/** `npm start [-- --accounts N --seed S --verbose]`: the main job on the embedded default; exit status 1 on any unexpected outcome. */
async function main(): Promise<void> {
  // The SDK warns once per process that Node 20 support ends in 2027: noise in a readable report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '25' },
      seed: { type: 'string', default: '1' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const accounts = Number(values.accounts);
  const seed = Number(values.seed);
  if (!Number.isInteger(accounts) || accounts < 0 || accounts > 10_000) {
    throw new Error(`--accounts must be an integer from 0 to 10000, got ${values.accounts}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const result = await runMainJob({ accounts, seed, verbose: values.verbose });
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
