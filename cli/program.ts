import { Command, Option } from 'commander';
import { version } from '../package.json';
import { registerApprove } from './commands/approve';
import { registerAudit } from './commands/audit';
import { registerDeleteRootCredentials } from './commands/delete-root-credentials';
import { registerDeny } from './commands/deny';
import { registerEnable } from './commands/enable';
import { registerEnableRecovery } from './commands/enable-recovery';
import { registerGuardrails } from './commands/guardrails';
import { registerHistory } from './commands/history';
import { registerPending } from './commands/pending';
import { registerRemediate } from './commands/remediate';
import { registerReport } from './commands/report';
import { registerRestorePolicy } from './commands/restore-policy';
import { registerStatus } from './commands/status';
import { registerUnlockS3 } from './commands/unlock-s3';
import { registerUnlockSqs } from './commands/unlock-sqs';
import { registerShow, registerWatch } from './commands/watch';
import type { CliContext } from './context';
import type { ExitCode } from './errors';
import { OUTPUT_FORMATS, type OutStream } from './output';
import { DEFAULT_STACK_NAME } from './stack-outputs';

/** What each command's action hands to the runner: its body, given a ready context. */
export type CommandBody = (ctx: CliContext) => Promise<ExitCode>;
export type Runner = (command: Command, body: CommandBody) => Promise<void>;

const EXAMPLES = `
Examples:
  rootkeeper status
  rootkeeper enable
  rootkeeper audit --all
  rootkeeper unlock-s3 --account 111122223333 --bucket app-logs --delete --reason "policy denies everyone" --ticket INC-42
  rootkeeper unlock-sqs --account 111122223333 --queue-url https://sqs.eu-west-1.amazonaws.com/111122223333/orders --replace-with policy.json --reason "..."
  rootkeeper restore-policy --backup <id from unlock> --reason "put the original back"
  rootkeeper delete-root-credentials --account 111122223333 --dry-run --reason "check"
  rootkeeper history --outcome FAILED --since 7d
  rootkeeper report --format markdown
  rootkeeper --local status                      (the local stack of "npm run local")

Mutating commands need --reason, ask for confirmation on a terminal (--yes in scripts),
name the execution after the request (a retried command attaches to the first execution),
wait with progress (--no-wait returns the execution ARN) and print the recorded run.

Exit codes:
  0  done
  1  the workflow ran but the outcome was not reached (FAILED, REJECTED, SKIPPED),
     a replacement policy was not applied, it was still running at --timeout,
     or the prompt was answered "no"
  2  usage or validation error; the message names the flag; nothing was started
  3  AWS or permission error; the message names the missing permission when AWS does

AWS credentials, profile and region come from the SDK's default chain (AWS_PROFILE,
AWS_REGION, SSO, ...); AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are respected.`;

export interface ProgramIo {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly env: NodeJS.ProcessEnv;
}

export function buildProgram(run: Runner, io: ProgramIo): Command {
  const stackName = io.env.ROOTKEEPER_STACK_NAME ?? DEFAULT_STACK_NAME;
  const program = new Command('rootkeeper');
  program
    .version(version, '-V, --version')
    .description('Start, watch and review Rootkeeper runs: centralized root access for AWS Organizations')
    .option('--profile <name>', 'AWS profile (default: the SDK default chain)')
    .option('--region <region>', 'AWS region of the stack (default: the SDK default chain)')
    .option(
      '--stack-name <name>',
      'the stack whose outputs name the workflows and the table (env ROOTKEEPER_STACK_NAME)',
      stackName,
    )
    .option('--local', 'use the local stack (.rootkeeper/local.json, or ROOTKEEPER_LOCAL_FILE)')
    .option('--debug', 'also print raw error causes and stack traces')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (as the AWS CLI option)')
    .addOption(
      new Option('-o, --output <format>', 'human or json (one JSON document on stdout)')
        .choices(OUTPUT_FORMATS)
        .default('human'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText('after', EXAMPLES);
  // Settings above are inherited by the commands added below.
  for (const register of [
    registerStatus,
    registerEnable,
    registerAudit,
    registerDeleteRootCredentials,
    registerUnlockS3,
    registerUnlockSqs,
    registerEnableRecovery,
    registerRestorePolicy,
    registerRemediate,
    registerHistory,
    registerReport,
    registerWatch,
    registerShow,
    registerPending,
    registerApprove,
    registerDeny,
    registerGuardrails,
  ]) {
    register(program, run);
  }
  return program;
}
