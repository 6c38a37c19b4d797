import type { Environment } from '../../../cli/context';
import { run } from '../../../cli/main';
import { Capture } from './capture';
import { schemaErrors } from './schema';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json(): Record<string, unknown>;
}

/** Runs the command line in this process with captured streams, no terminal unless told. */
export async function runCli(
  argv: readonly string[],
  options: {
    readonly tty?: boolean;
    readonly prompt?: (message: string) => Promise<boolean>;
    readonly env?: NodeJS.ProcessEnv;
  } = {},
): Promise<InProcessResult> {
  const stdout = new Capture(false);
  const stderr = new Capture(false);
  const environment: Environment = {
    env: { AWS_REGION: 'eu-west-1', ...options.env },
    cwd: process.cwd(),
    streams: { stdout, stderr },
    stdinIsTTY: options.tty === true,
    ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
    now: () => new Date('2026-11-24T12:00:00.000Z'),
  };
  const code = await run(argv, environment);
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    json: () => {
      const document = JSON.parse(stdout.text) as Record<string, unknown>;
      const problems = schemaErrors(document);
      if (problems.length > 0) throw new Error(`not the documented schema: ${problems.join('; ')}`);
      return document;
    },
  };
}
