/**
 * One job of the bench in its own process: one strategy variant on one
 * scenario (one size, one fault setting), or the new-account path. A
 * process per job because the handlers cache their AWS clients per
 * process, bound to the endpoints of the first local stack they saw; a
 * fresh process gets fresh handlers, and its own memory high-water mark,
 * so each strategy's peak RSS is its own (the sandbox and, for Rootkeeper,
 * the local stack included).
 */
import type { Settings } from './environment';
import { startBenchEnvironment } from './local-stack-environment';
import { processPeakRssMb } from './machine';
import { measureNewAccountPath } from './new-account';
import { parseOptions } from './options';
import type { NewAccountPath, Scenario } from './report/model';
import { runScenario } from './scenario';
import { startSandboxOnly } from './environment';
import type { StrategyVariant } from './types';

export type Job =
  | {
      readonly kind: 'scenario';
      readonly argv: readonly string[];
      readonly accounts: number;
      readonly fault: string;
      readonly variant: StrategyVariant;
    }
  | { readonly kind: 'new-account'; readonly argv: readonly string[] };

export type WorkerMessage =
  | { readonly type: 'log'; readonly line: string }
  | {
      readonly type: 'scenario';
      readonly scenario: Scenario;
      readonly settings?: Settings;
      readonly peakRssMb: number;
    }
  | { readonly type: 'new-account'; readonly path: NewAccountPath; readonly peakRssMb: number }
  | { readonly type: 'error'; readonly message: string };

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      console.log(JSON.stringify(message));
      resolve();
      return;
    }
    process.send(message, () => resolve());
  });
}

async function run(job: Job): Promise<void> {
  const options = parseOptions(job.argv);
  const log = (line: string): void => void send({ type: 'log', line });
  if (job.kind === 'new-account') {
    const path = await measureNewAccountPath(options);
    await send({ type: 'new-account', path, peakRssMb: processPeakRssMb() });
    return;
  }
  const fault = options.faultSettings.find((f) => f.name === job.fault);
  if (!fault) throw new Error(`no fault setting ${job.fault}`);
  // The baselines need the sandbox only: no local stack, no synthesis in their process.
  const env =
    job.variant.strategy === 'rootkeeper'
      ? await startBenchEnvironment(options, job.accounts, log)
      : await startSandboxOnly(options, job.accounts, log);
  try {
    const scenario = await runScenario(env, options, job.accounts, fault, [job.variant]);
    // The process hosts this one strategy: its high-water mark is the strategy's peak.
    const peak = processPeakRssMb();
    const emulators = env.emulatorMemory();
    await send({
      type: 'scenario',
      scenario: {
        ...scenario,
        rows: scenario.rows.map((row) => ({ ...row, peakRssMb: Math.max(row.peakRssMb, peak), emulators })),
      },
      ...(env.settings ? { settings: env.settings } : {}),
      peakRssMb: processPeakRssMb(),
    });
  } finally {
    await env.close();
  }
}

if (require.main === module) {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job;
  run(job)
    .catch((error: unknown) =>
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    )
    .finally(() => process.exit(0));
}
