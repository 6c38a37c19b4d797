import { auditProgress } from './audit-progress';
import type { CliContext } from './context';
import { EXIT, type ExitCode } from './errors';
import { exitCodeOfRun } from './exit-codes';
import { failureOf, type FailureTarget, type PlainError } from './failure';
import type { Printer } from './output';
import { startProgress } from './progress';
import { colorOutcome, printRun } from './render';
import {
  decodeItem,
  findRunOfExecution,
  normalizeRun,
  parseWorkflowOutput,
  readItem,
  RUN_SCHEMA_VERSION,
  type Item,
} from './run-record';
import { OUTPUT } from './stack-outputs';
import { waitForExecution } from './workflow';

/**
 * Following one execution to its end and reporting it: shared by the
 * commands that start a workflow and by `rootkeeper watch`. The result says
 * when it happened; a failure is one line of what, where and what to do; a
 * Ctrl-C while waiting stops waiting (never the workflow) and says how to
 * follow it again.
 */

/** Exit code of a wait stopped with Ctrl-C: the shell's 128 + SIGINT; the workflow keeps running. */
export const EXIT_INTERRUPTED = 130;

export interface Followed {
  readonly command: string;
  readonly title: string;
  readonly executionArn: string;
  readonly name: string;
  readonly accountId?: string;
  readonly target?: FailureTarget;
  /** How this command came to the execution: it started it, found it running, or found it finished. */
  readonly how: 'started' | 'attached' | 'already-ran';
}

export interface FinishedRun {
  readonly exitCode: ExitCode;
  readonly outcome: string | undefined;
  readonly run: Item | undefined;
  readonly document: Record<string, unknown>;
}

export interface Extras {
  /** More for the result (postures, backup id), read after the run. */
  readonly enrich?: (finished: FinishedRun) => Promise<Record<string, unknown>>;
  readonly render?: (printer: Printer, document: Record<string, unknown>) => void;
  /** A shortfall the outcome alone does not show (accounts an audit could not reach). */
  readonly shortfall?: (run: Item | undefined) => string | undefined;
}

export interface FollowOptions {
  readonly wait: boolean;
  readonly timeout: string;
  readonly timeoutMs: number;
  /** The organization audit: progress in accounts, from its summary run. */
  readonly watchAudit?: boolean;
}

/** "2026-11-29 19:49:43 UTC (3 min ago)": every printed result says when it happened. */
export function when(iso: string | undefined, now: Date): string {
  if (iso === undefined) return 'an unknown time';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  const ago =
    seconds < 60
      ? 'just now'
      : seconds < 3600
        ? `${Math.round(seconds / 60)} min ago`
        : seconds < 86_400
          ? `${Math.round(seconds / 3600)} h ago`
          : `${Math.round(seconds / 86_400)} days ago`;
  return `${at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')} (${ago})`;
}

function targetText(target: FailureTarget | undefined): string | undefined {
  if (target === undefined) return undefined;
  const resource = target.bucketName ?? target.queueUrl;
  if (resource !== undefined) return resource;
  return target.accountId;
}

function whereText(target: FailureTarget | undefined): string {
  if (target === undefined) return '';
  if (target.bucketName !== undefined)
    return ` for bucket ${target.bucketName} in account ${target.accountId ?? '?'}`;
  if (target.queueUrl !== undefined) return ` for queue ${target.queueUrl}`;
  return target.accountId === undefined ? '' : ` for account ${target.accountId}`;
}

/** Waits until the execution stops, the timeout passes or Ctrl-C; 'interrupted' for the last. */
async function waitInterruptibly(
  ctx: CliContext,
  followed: Followed,
  options: FollowOptions,
): Promise<Awaited<ReturnType<typeof waitForExecution>> | 'interrupted'> {
  const progress = startProgress(ctx.out, followed.title);
  const abort = new AbortController();
  const signals = ctx.environment.signals ?? process;
  let onSignal: (() => void) | undefined;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    onSignal = () => {
      abort.abort();
      resolve('interrupted');
    };
    signals.once('SIGINT', onSignal);
  });
  try {
    return await Promise.race([
      waitForExecution(ctx.sfn, followed.executionArn, {
        pollIntervalMs: ctx.pollIntervalMs,
        timeoutMs: options.timeoutMs,
        progress,
        ...(options.watchAudit === true ? { moreProgress: auditProgress(ctx, followed.executionArn) } : {}),
        signal: abort.signal,
      }),
      interrupted,
    ]);
  } finally {
    if (onSignal !== undefined) signals.removeListener('SIGINT', onSignal);
    progress.stop();
  }
}

function interruptedResult(ctx: CliContext, followed: Followed): ExitCode {
  const watch = ctx.commandLine(`watch ${followed.name}`);
  ctx.out.result(
    {
      schemaVersion: RUN_SCHEMA_VERSION,
      ok: false,
      command: followed.command,
      exitCode: EXIT_INTERRUPTED,
      interrupted: true,
      execution: { name: followed.name, arn: followed.executionArn, status: 'RUNNING' },
      watch,
    },
    (printer) => {
      printer.line(`Stopped waiting; the workflow keeps running.`);
      printer.fields([
        ['execution', followed.executionArn],
        ['follow it', watch],
      ]);
    },
  );
  return EXIT_INTERRUPTED as ExitCode;
}

export async function followExecution(
  ctx: CliContext,
  followed: Followed,
  options: FollowOptions,
  extras: Extras = {},
): Promise<ExitCode> {
  const waited = await waitInterruptibly(ctx, followed, options);
  if (waited === 'interrupted') return interruptedResult(ctx, followed);
  const description = waited;
  const status = description.status ?? 'UNKNOWN';
  const running = status === 'RUNNING' || status === 'PENDING_REDRIVE';
  const table = (await ctx.outputs()).require(OUTPUT.resultsTable);

  const output = parseWorkflowOutput(description.output);
  const accountId = output.accountId ?? followed.accountId;
  let item: Item | undefined;
  // Only a finished execution's record is read: a record of a run still
  // going would show an earlier state as if it were the result.
  if (!running) {
    if (output.runKey !== undefined) item = await readItem(ctx.ddb, table, output.runKey);
    else if (accountId !== undefined) {
      item = await findRunOfExecution(ctx.ddb, table, accountId, followed.executionArn);
    }
  }
  const decoded = item === undefined ? undefined : decodeItem(item);
  const outcome = running
    ? undefined
    : (output.outcome ?? (typeof decoded?.outcome === 'string' ? decoded.outcome : undefined));
  const shortfall = running ? undefined : extras.shortfall?.(decoded);
  const reached = running ? EXIT.NOT_REACHED : exitCodeOfRun(status, outcome);
  const exitCode = reached === EXIT.DONE && shortfall !== undefined ? EXIT.NOT_REACHED : reached;
  const failure =
    running || reached === EXIT.DONE
      ? undefined
      : failureOf(
          decoded,
          { error: description.error, cause: description.cause },
          { accountId, ...followed.target },
        );
  const error: PlainError | undefined = running
    ? {
        name: 'StillRunning',
        message: `still running after ${options.timeout}`,
        advice: `follow it with: ${ctx.commandLine(`watch ${followed.name}`)}`,
      }
    : (failure?.error ??
      (shortfall !== undefined
        ? { name: 'Shortfall', message: shortfall, advice: 'see the accounts listed below' }
        : undefined));
  const happenedAt = running
    ? undefined
    : ((typeof decoded?.finishedAt === 'string' ? decoded.finishedAt : undefined) ??
      description.stopDate?.toISOString());
  const target = targetText(followed.target);
  const run =
    decoded === undefined
      ? null
      : normalizeRun(decoded, {
          ...(target ? { target } : {}),
          ...(failure ? { error: failure.error } : {}),
        });

  const shownOutcome = run?.outcome ?? outcome;
  const document: Record<string, unknown> = {
    schemaVersion: RUN_SCHEMA_VERSION,
    ok: exitCode === EXIT.DONE,
    command: followed.command,
    exitCode,
    outcome: shownOutcome ?? null,
    happenedAt: happenedAt ?? null,
    ...(followed.how === 'already-ran' ? { alreadyRan: true } : {}),
    ...(followed.how === 'attached' ? { attached: true } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(target !== undefined ? { target } : {}),
    error: error ?? null,
    execution: {
      name: followed.name,
      arn: followed.executionArn,
      status,
      startDate: description.startDate,
      stopDate: description.stopDate,
    },
    run,
    ...(ctx.debug ? { debug: { errorCause: failure?.raw ?? null, output: output.raw ?? null } } : {}),
  };
  const finished: FinishedRun = { exitCode, outcome, run: decoded, document };
  Object.assign(document, extras.enrich === undefined ? {} : await extras.enrich(finished));

  ctx.out.result(document, (printer) => {
    const { colors } = printer;
    if (followed.how === 'already-ran') {
      printer.line(
        `${colors.yellow('!')} This request already ran at ${when(happenedAt, ctx.environment.now())}: result ${colorOutcome(colors, shownOutcome ?? status)}; nothing done now; pass --again to run it again.`,
      );
    } else if (running) {
      printer.line(
        `${colors.yellow('…')} ${followed.title}: still RUNNING after ${options.timeout} (nothing finished yet)`,
      );
    } else {
      const headline =
        status === 'SUCCEEDED' ? colorOutcome(colors, shownOutcome) : colors.red(shownOutcome ?? status);
      printer.line(
        `${exitCode === EXIT.DONE ? colors.green('✔') : colors.red('✘')} ${followed.title}: ${headline}${whereText(exitCode === EXIT.DONE ? undefined : followed.target)} at ${when(happenedAt, ctx.environment.now())}`,
      );
    }
    if (error !== undefined) {
      printer.line(`  ${colors.red(`${error.name}: ${error.message}`)}`);
      printer.line(`  what to do: ${error.advice}`);
    }
    if (ctx.debug && failure?.raw !== undefined) printer.line(colors.dim(`  raw cause: ${failure.raw}`));
    if (decoded !== undefined) printRun(printer, decoded, [['execution', followed.executionArn]]);
    else printer.fields([['execution', followed.executionArn]]);
    if (followed.how !== 'already-ran' || exitCode === EXIT.DONE) extras.render?.(printer, document);
  });
  if (error !== undefined) ctx.out.warn(`not done: ${outcome ?? status}: ${error.name}: ${error.message}`);
  return exitCode;
}
