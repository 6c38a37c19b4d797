import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { schemaErrors } from './schema';

/**
 * The command line as users run it: `node bin/rootkeeper.js ...` in a child
 * process, stdin not a terminal, with only the local stack's environment
 * (a scratch HOME, so no ~/.aws profile of the machine can leak in).
 */

export const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'rootkeeper.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

export function cliEnvironment(stackEnv: Readonly<Record<string, string>>): Record<string, string> {
  const home = mkdtempSync(path.join(tmpdir(), 'rootkeeper-cli-'));
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    ROOTKEEPER_POLL_INTERVAL_MS: '100',
    ...stackEnv,
  };
}

/** Every JSON document read in a test is checked against the documented schema first. */
function result(code: number | null, stdout: string, stderr: string): CliRun {
  return {
    code,
    stdout,
    stderr,
    json: <T>() => {
      const document = JSON.parse(stdout) as unknown;
      const problems = schemaErrors(document);
      if (problems.length > 0) {
        throw new Error(
          `output does not match docs/run-record.schema.json: ${problems.join('; ')}\n${stdout}`,
        );
      }
      return document as T;
    },
  };
}

export function rootkeeper(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(result(code, stdout, stderr)));
    child.stdin.end();
  });
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the command inside a pseudo-terminal (util-linux `script`), types
 * `answer` once the prompt shows (after `beforeAnswer`, e.g. a change made
 * while the engineer reads the plan), and returns the terminal's transcript.
 */
export function rootkeeperOnTerminal(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  prompt: RegExp,
  answer: string,
  beforeAnswer: () => unknown = () => undefined,
): Promise<CliRun> {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let transcript = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      transcript += chunk.toString();
      if (!answered && prompt.test(transcript)) {
        answered = true;
        void Promise.resolve(beforeAnswer()).then(() => child.stdin.write(answer));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (transcript += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(result(code, transcript, '')));
  });
}

export interface RunDocument {
  ok: boolean;
  exitCode: number;
  outcome: string | null;
  alreadyRan?: boolean;
  error?: { name: string; message: string; advice: string } | null;
  execution: { name: string; arn: string; attached?: boolean; status: string };
  run: Record<string, unknown> | null;
  backup?: { backupId: string } | null;
}
