import { confirmAction } from './confirm';
import type { CliContext } from './context';
import { EXIT, type ExitCode } from './errors';
import { EXIT_INTERRUPTED } from './follow';
import { colorOutcome } from './render';
import { RUN_SCHEMA_VERSION } from './run-record';
import { planRequest, type WaitFlags, type WorkflowRequest } from './run-workflow';

/**
 * `--account A B ...` for a root action (delete-root-credentials,
 * enable-recovery): each account is its own request and its own run, as if
 * the command had been given once per account. Every account's plan is read
 * and shown first, then one question covers them all (`--yes` skips only
 * the question), then the runs go one after the other, each reported as it
 * ends, and a summary closes. The JSON is one document whose `accounts`
 * holds each account's own document (the single-account shape).
 *
 * Exit code: 0 when every account's run reached its outcome; 130 when a
 * Ctrl-C stopped the waiting (the accounts after it are not started);
 * otherwise the highest code of the accounts (1 not reached, 2 usage, 3 AWS).
 */

interface AccountPart {
  readonly accountId: string;
  readonly document: () => Record<string, unknown> | undefined;
  exitCode?: ExitCode;
  /** Not started: an earlier account's wait was stopped with Ctrl-C. */
  notStarted?: boolean;
}

/** The wait was stopped with Ctrl-C (its code is outside ExitCode's documented four). */
const wasInterrupted = (code: ExitCode | undefined): boolean => code === (EXIT_INTERRUPTED as number);

function overallExitCode(parts: readonly AccountPart[]): ExitCode {
  const codes = parts.map((part) => part.exitCode ?? EXIT.DONE);
  if (codes.some(wasInterrupted)) return EXIT_INTERRUPTED as ExitCode;
  return Math.max(EXIT.DONE, ...codes) as ExitCode;
}

function outcomeOf(part: AccountPart): string {
  if (part.notStarted === true) return 'NOT STARTED';
  const document = part.document();
  if (document?.declined === true) return 'NOT CONFIRMED';
  if (typeof document?.outcome === 'string') return document.outcome;
  const execution = document?.execution as { status?: unknown } | undefined;
  return typeof execution?.status === 'string' ? execution.status : 'UNKNOWN';
}

function summary(ctx: CliContext, command: string, title: string, parts: readonly AccountPart[]): ExitCode {
  const exitCode = overallExitCode(parts);
  const notDone = parts.filter((part) => (part.exitCode ?? EXIT.DONE) !== EXIT.DONE || part.notStarted);
  const accounts = parts.map((part) => ({
    ...(part.document() ?? { ok: false, exitCode: EXIT.NOT_REACHED, notStarted: true }),
    accountId: part.accountId,
  }));
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: exitCode === EXIT.DONE,
      command,
      exitCode,
      ...(wasInterrupted(exitCode) ? { interrupted: true } : {}),
      error:
        notDone.length === 0
          ? null
          : {
              name: 'NotEveryAccountDone',
              message: `${parts.length - notDone.length} of ${parts.length} account(s) done; not done: ${notDone
                .map((part) => `${part.accountId} (${outcomeOf(part)})`)
                .join(', ')}`,
              advice: 'see each account above; run the command again for those accounts only',
            },
      accounts,
    },
    (printer) => {
      printer.line();
      printer.line(
        printer.colors.bold(`${title}: ${parts.length - notDone.length} of ${parts.length} account(s) done`),
      );
      printer.table(
        ['account', 'outcome', 'exit code'],
        parts.map((part) => [
          part.accountId,
          colorOutcome(printer.colors, outcomeOf(part)),
          part.notStarted === true ? '-' : String(part.exitCode ?? EXIT.DONE),
        ]),
      );
    },
  );
  return exitCode;
}

export async function runForAccounts(
  ctx: CliContext,
  accounts: readonly string[],
  requestFor: (accountId: string) => WorkflowRequest,
  flags: WaitFlags,
  whole: { readonly command: string; readonly title: string },
): Promise<ExitCode> {
  const parts: AccountPart[] = [];
  const ready: {
    part: AccountPart;
    go: () => Promise<ExitCode>;
    mutating: boolean;
    plan: Readonly<Record<string, unknown>> | undefined;
  }[] = [];
  for (const accountId of accounts) {
    const output = ctx.out.part();
    const part: AccountPart = { accountId, document: output.document };
    parts.push(part);
    const planned = await planRequest(ctx.withOutput(output.out), requestFor(accountId), flags);
    if (planned.kind === 'answered') {
      part.exitCode = planned.exitCode;
      if (wasInterrupted(planned.exitCode)) return summary(ctx, whole.command, whole.title, parts);
      continue;
    }
    planned.print();
    ready.push({ part, go: planned.go, mutating: planned.request.mutating, plan: planned.shown?.document });
  }
  if (ready.some((request) => request.mutating)) {
    const answer = await confirmAction(`${whole.title} in ${ready.length} account(s): go ahead?`, {
      yes: flags.yes === true,
      interactive: ctx.environment.stdinIsTTY,
      prompt: ctx.environment.prompt,
    });
    if (answer === 'declined') {
      ctx.out.result(
        {
          schemaVersion: RUN_SCHEMA_VERSION,
          ok: false,
          command: whole.command,
          exitCode: EXIT.NOT_REACHED,
          declined: true,
          accounts: parts.map((part) => {
            const plan = ready.find((request) => request.part === part)?.plan;
            return { ...part.document(), accountId: part.accountId, ...(plan !== undefined ? { plan } : {}) };
          }),
        },
        (printer) => printer.line('Nothing done: not confirmed.'),
      );
      return EXIT.NOT_REACHED;
    }
  }
  for (const [index, request] of ready.entries()) {
    ctx.out.note(ctx.out.colors.bold(`\n[${index + 1}/${ready.length}] account ${request.part.accountId}`));
    request.part.exitCode = await request.go();
    if (wasInterrupted(request.part.exitCode)) {
      for (const rest of ready.slice(index + 1)) rest.part.notStarted = true;
      break;
    }
  }
  return summary(ctx, whole.command, whole.title, parts);
}
