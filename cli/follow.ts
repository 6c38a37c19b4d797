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

/** "just now", "3 min ago", "2 h ago", "4 days ago". */
function ago(seconds: number): string {
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** "2026-11-29 19:49:43 UTC (3 min ago)": every printed result says when it happened. */
export function when(iso: string | undefined, now: Date): string {
  if (iso === undefined) return 'an unknown time';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  const utc = at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return `${utc} (${ago(seconds)})`;
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

type Description = Awaited<ReturnType<typeof waitForExecution>>;

/** What the execution left: its output, and its run record once it has finished. */
interface Reading {
  readonly status: string;
  readonly running: boolean;
  readonly accountId: string | undefined;
  readonly output: ReturnType<typeof parseWorkflowOutput>;
  readonly decoded: Item | undefined;
}

/**
 * Only a finished execution's record is read: a record of a run still
 * going would show an earlier state as if it were the result.
 */
async function readExecution(
  ctx: CliContext,
  followed: Followed,
  description: Description,
): Promise<Reading> {
  const status = description.status ?? 'UNKNOWN';
  const running = status === 'RUNNING' || status === 'PENDING_REDRIVE';
  const output = parseWorkflowOutput(description.output);
  const accountId = output.accountId ?? followed.accountId;
  let item: Item | undefined;
  if (!running) {
    const table = (await ctx.outputs()).require(OUTPUT.resultsTable);
    if (output.runKey !== undefined) item = await readItem(ctx.ddb, table, output.runKey);
    else if (accountId !== undefined)
      item = await findRunOfExecution(ctx.ddb, table, accountId, followed.executionArn);
  }
  return { status, running, accountId, output, decoded: item === undefined ? undefined : decodeItem(item) };
}

/** The verdict: the outcome, the exit code, and the one plain error line (or none). */
interface Verdict {
  readonly outcome: string | undefined;
  readonly exitCode: ExitCode;
  readonly failure: ReturnType<typeof failureOf> | undefined;
  readonly error: PlainError | undefined;
  readonly happenedAt: string | undefined;
}

function stillRunning(ctx: CliContext, followed: Followed, options: FollowOptions): Verdict {
  return {
    outcome: undefined,
    exitCode: EXIT.NOT_REACHED,
    failure: undefined,
    error: {
      name: 'StillRunning',
      message: `still running after ${options.timeout}`,
      advice: `follow it with: ${ctx.commandLine(`watch ${followed.name}`)}`,
    },
    happenedAt: undefined,
  };
}

function verdictOf(reading: Reading, description: Description, followed: Followed, extras: Extras): Verdict {
  const { decoded, status } = reading;
  const recorded = typeof decoded?.outcome === 'string' ? decoded.outcome : undefined;
  const outcome = reading.output.outcome ?? recorded;
  const shortfall = extras.shortfall?.(decoded);
  const reached = exitCodeOfRun(status, outcome);
  const failure =
    reached === EXIT.DONE
      ? undefined
      : failureOf(
          decoded,
          { error: description.error, cause: description.cause },
          { accountId: reading.accountId, ...followed.target },
        );
  let error = failure?.error;
  if (error === undefined && shortfall !== undefined)
    error = { name: 'Shortfall', message: shortfall, advice: 'see the accounts listed below' };
  const finishedAt = typeof decoded?.finishedAt === 'string' ? decoded.finishedAt : undefined;
  return {
    outcome,
    exitCode: reached === EXIT.DONE && shortfall !== undefined ? EXIT.NOT_REACHED : reached,
    failure,
    error,
    happenedAt: finishedAt ?? description.stopDate?.toISOString(),
  };
}

/** The result document (`--output json`): the same fields for every workflow. */
function resultDocument(
  ctx: CliContext,
  followed: Followed,
  description: Description,
  reading: Reading,
  verdict: Verdict,
): Record<string, unknown> {
  const target = targetText(followed.target);
  const run =
    reading.decoded === undefined
      ? null
      : normalizeRun(reading.decoded, {
          ...(target ? { target } : {}),
          ...(verdict.failure ? { error: verdict.failure.error } : {}),
        });
  const { accountId } = reading;
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    ok: verdict.exitCode === EXIT.DONE,
    command: followed.command,
    exitCode: verdict.exitCode,
    outcome: run?.outcome ?? verdict.outcome ?? null,
    happenedAt: verdict.happenedAt ?? null,
    ...(followed.how === 'already-ran' ? { alreadyRan: true } : {}),
    ...(followed.how === 'attached' ? { attached: true } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    ...(target !== undefined ? { target } : {}),
    error: verdict.error ?? null,
    execution: {
      name: followed.name,
      arn: followed.executionArn,
      status: reading.status,
      startDate: description.startDate,
      stopDate: description.stopDate,
    },
    run,
    ...(ctx.debug
      ? { debug: { errorCause: verdict.failure?.raw ?? null, output: reading.output.raw ?? null } }
      : {}),
  };
}

/** The first line: already ran, still running, or done / not done with where and when. */
function headline(
  printer: Printer,
  ctx: CliContext,
  followed: Followed,
  reading: Reading,
  verdict: Verdict,
  shownOutcome: string | undefined,
  options: FollowOptions,
): string {
  const { colors } = printer;
  const at = when(verdict.happenedAt, ctx.environment.now());
  if (followed.how === 'already-ran') {
    const result = colorOutcome(colors, shownOutcome ?? reading.status);
    return `${colors.yellow('!')} This request already ran at ${at}: result ${result}; nothing done now; pass --again to run it again.`;
  }
  if (reading.running)
    return `${colors.yellow('…')} ${followed.title}: still RUNNING after ${options.timeout} (nothing finished yet)`;
  const done = verdict.exitCode === EXIT.DONE;
  const what =
    reading.status === 'SUCCEEDED'
      ? colorOutcome(colors, shownOutcome)
      : colors.red(shownOutcome ?? reading.status);
  const where = done ? '' : whereText(followed.target);
  return `${done ? colors.green('✔') : colors.red('✘')} ${followed.title}: ${what}${where} at ${at}`;
}

export async function followExecution(
  ctx: CliContext,
  followed: Followed,
  options: FollowOptions,
  extras: Extras = {},
): Promise<ExitCode> {
  const waited = await waitInterruptibly(ctx, followed, options);
  if (waited === 'interrupted') return interruptedResult(ctx, followed);
  const reading = await readExecution(ctx, followed, waited);
  const verdict = reading.running
    ? stillRunning(ctx, followed, options)
    : verdictOf(reading, waited, followed, extras);
  const document = resultDocument(ctx, followed, waited, reading, verdict);
  const finished: FinishedRun = {
    exitCode: verdict.exitCode,
    outcome: verdict.outcome,
    run: reading.decoded,
    document,
  };
  const shownOutcome = typeof document.outcome === 'string' ? document.outcome : undefined;
  Object.assign(document, extras.enrich === undefined ? {} : await extras.enrich(finished));

  const { error, failure } = verdict;
  ctx.out.result(document, (printer) => {
    const { colors } = printer;
    printer.line(headline(printer, ctx, followed, reading, verdict, shownOutcome, options));
    if (error !== undefined) {
      printer.line(`  ${colors.red(`${error.name}: ${error.message}`)}`);
      printer.line(`  what to do: ${error.advice}`);
    }
    if (ctx.debug && failure?.raw !== undefined) printer.line(colors.dim(`  raw cause: ${failure.raw}`));
    if (reading.decoded !== undefined)
      printRun(printer, reading.decoded, [['execution', followed.executionArn]]);
    else printer.fields([['execution', followed.executionArn]]);
    if (followed.how !== 'already-ran' || verdict.exitCode === EXIT.DONE) extras.render?.(printer, document);
  });
  if (error !== undefined)
    ctx.out.warn(`not done: ${verdict.outcome ?? reading.status}: ${error.name}: ${error.message}`);
  return verdict.exitCode;
}
