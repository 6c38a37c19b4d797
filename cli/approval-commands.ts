import type { Command } from 'commander';
import {
  ApprovalNotPendingError,
  ApproverNotAllowedError,
  SelfApprovalError,
} from '../lambdas/root-access/approval';
import { validateReason } from '../lambdas/root-access/validation';
import { executionOfRun, type ApprovalRequest } from './approval-requests';
import { requestDecision } from './decision-client';
import type { CliContext } from './context';
import { CliError, EXIT, UsageError, type ExitCode } from './errors';
import { checkFlag } from './flags';
import type { Printer } from './output';
import type { Runner } from './program';
import { OUTPUT, type StackOutputs } from './stack-outputs';

/** The workflows that can wait for approval (their stack outputs). */
const GATED_OUTPUTS = [
  OUTPUT.deleteRootCredentials,
  OUTPUT.unlockS3,
  OUTPUT.unlockSqs,
  OUTPUT.enableAccountRecovery,
] as const;

export function gatedStateMachines(outputs: StackOutputs): string[] {
  return GATED_OUTPUTS.map((output) => outputs.find(output)).filter(
    (arn): arn is string => arn !== undefined,
  );
}

/** The plan as a person reads it, line by line. */
export function printRequest(printer: Printer, request: ApprovalRequest): void {
  const { plan } = request;
  printer.fields([
    ['run', request.run],
    ['workflow', request.workflow],
    ['account', request.accountId],
    ['requested by', request.requestedBy],
    ['reason', request.reason],
    ['ticket', request.ticket || undefined],
    ['expires', request.expiresAt],
    [
      'approvers',
      request.approverPrincipals.join(', ') || '(anyone with the approver policy but the requester)',
    ],
  ]);
  for (const [key, value] of Object.entries(plan)) {
    printer.line(
      `  ${printer.colors.dim(key)}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
    );
  }
}

/** A decision the rules refuse: exit 1, nothing sent to the workflow. */
export function refusal(error: unknown): never {
  if (
    error instanceof SelfApprovalError ||
    error instanceof ApproverNotAllowedError ||
    error instanceof ApprovalNotPendingError
  ) {
    throw new CliError(error.message, EXIT.NOT_REACHED, 'not-reached', { refused: error.name });
  }
  throw error;
}

async function decideCommand(
  ctx: CliContext,
  run: string,
  reasonFlag: unknown,
  approve: boolean,
): Promise<ExitCode> {
  const reason = checkFlag(() => validateReason(reasonFlag, { required: true }), '--reason') ?? '';
  const outputs = await ctx.outputs();
  const executionArn = await executionOfRun(ctx.sfn, run, gatedStateMachines(outputs));
  if (executionArn === undefined)
    throw new UsageError('RUN', `no run ${run} in the workflows that ask for approval`);
  const functionUrl = outputs.require(OUTPUT.decideApprovalUrl);
  const command = approve ? 'approve' : 'deny';
  // The Decide approval function checks who we are (AWS authenticates the
  // signed request) and applies the approver rules; we only ask.
  const {
    request,
    by,
    at,
    reason: why,
  } = await requestDecision(ctx.sfn, functionUrl, {
    executionArn,
    approve,
    reason,
  }).catch(refusal);
  const decision = approve ? 'APPROVED' : 'DENIED';
  const recorded = { by, at, reason: why };
  ctx.out.result({ ok: true, command, exitCode: EXIT.DONE, decision, ...recorded, request }, (printer) => {
    printer.line(`${printer.colors.green('✔')} ${decision}: ${request.workflow} ${request.run}`);
    printRequest(printer, request);
    printer.line(
      printer.colors.dim(
        approve
          ? 'The run applies this plan now (and refuses if the state changed). Follow it with: rootkeeper history'
          : 'The run records the denial and changes nothing.',
      ),
    );
  });
  return EXIT.DONE;
}

/** `approve RUN --reason` and `deny RUN --reason`: the same command, one decision each. */
export function registerDecision(program: Command, run: Runner, approve: boolean): void {
  const name = approve ? 'approve' : 'deny';
  program
    .command(`${name} <run>`)
    .description(
      approve
        ? 'approve a waiting root action (you must not be its requester, and must be a configured approver)'
        : 'deny a waiting root action: it is recorded as DENIED and nothing changes',
    )
    .option('--reason <text>', 'why (required, 3..500 characters)')
    .addHelpText(
      'after',
      `\nRUN is the execution name (rootkeeper pending lists them) or its ARN.\nExamples:\n  rootkeeper ${name} unlock-s3-111122223333-0a1b2c3d4e5f60718293 --reason "checked with the owner"`,
    )
    .action((runName: string, flags: { reason?: string }, self: Command) =>
      run(self, (ctx) => decideCommand(ctx, runName, flags.reason, approve)),
    );
}
