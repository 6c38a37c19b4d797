import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { WorkflowName } from './names';
import { RESULT_EVENT } from './names';
import { retryDynamoDb, retryEventBridge } from './retry';
import { KEY_TEMPLATE, ORGANIZATION, outcomeKey } from '../results-table-keys';
import { RUN_RECORD_SCHEMA_VERSION } from '../run-record-schema-version';

const path = (p: string): string => sfn.JsonPath.stringAt(p);

/** A value of the run record: a literal, or the string at a path. */
export type Value = string | { readonly path: string };

function render(value: Value): string {
  return typeof value === 'string' ? value : path(value.path);
}

export interface Outcome {
  readonly outcome: Value;
  /** Why the run did nothing (SKIPPED: MANAGEMENT_ACCOUNT, DUPLICATE_REQUEST, ...). */
  readonly outcomeReason?: Value;
  /** Paths of the objects recorded as JSON strings, or literal JSON text such as '[]'. */
  readonly before?: string;
  readonly actions?: string;
  readonly after?: string;
  /** Paths of the root sessions' access key ids (never the secret or token: they never get here). */
  readonly sessionAccessKeyIds?: readonly string[];
  /**
   * Path of the sessions a step reopened after its root session expired
   * (expired and new key id, and why); recorded as JSON text, '[]' when absent.
   */
  readonly sessionsReopened?: string;
  /** Path of the access keys in use a delete left in place (KEY_IN_USE); recorded as JSON text, '[]' when absent. */
  readonly keptKeys?: string;
  /** The error that stopped the run short of its goal, when a note records one (name and cause). */
  readonly error?: { readonly path: string };
  readonly errorCause?: { readonly path: string };
}

/** The attributes every run record carries, all strings, in this order. */
export const RUN_ATTRIBUTES = [
  'GSI1PK',
  'GSI1SK',
  'schemaVersion',
  'workflow',
  'outcome',
  'accountId',
  /** The bucket name or queue URL a request named, failures included; '' for the others. */
  'target',
  'outcomeReason',
  'requestedBy',
  'reason',
  'ticket',
  'before',
  'actions',
  'after',
  'sessionAccessKeyIds',
  'sessionsReopened',
  'keptKeys',
  'error',
  'errorCause',
  'executionArn',
  'startedAt',
  'finishedAt',
] as const;

/** The request's fields every run record names, read from the request even when it was rejected. */
const RECORDED_REQUEST_FIELDS = ['accountId', 'requestedBy', 'reason', 'ticket'] as const;
/** The fields in plain words, for state names. */
const FIELD_WORDS: Readonly<Record<(typeof RECORDED_REQUEST_FIELDS)[number], string>> = {
  accountId: 'account id',
  requestedBy: 'requester',
  reason: 'reason',
  ticket: 'ticket',
};

/** Counters of the organization audit's summary run, added to by each shard. */
export const AUDIT_COUNTERS = [
  'audited',
  'clean',
  'withCredentials',
  'failed',
  'firstSeen',
  'secureStarted',
  'failedShards',
  /** Accounts of the failed shards: not audited by this run. */
  'failedAccounts',
] as const;

/**
 * The UpdateItem (SET, not a put: the audit's summary keeps the totals its
 * shards added) that writes every RUN_ATTRIBUTES attribute of a run record,
 * each from `value(attribute)` (a literal or a path). "Record the run" is
 * one; a workflow recording runs of its own inside a Map (Remediate
 * organization, one per planned account) uses the same.
 */
export function runRecordUpdate(
  scope: Construct,
  name: string,
  props: {
    readonly table: dynamodb.ITable;
    readonly key: { readonly PK: string; readonly SK: string };
    readonly value: (attribute: (typeof RUN_ATTRIBUTES)[number]) => string;
    readonly returnValues?: tasks.DynamoReturnValues;
    readonly resultSelector?: Record<string, unknown>;
    readonly resultPath?: string;
  },
): tasks.DynamoUpdateItem {
  const names: Record<string, string> = {};
  const values: Record<string, tasks.DynamoAttributeValue> = {};
  RUN_ATTRIBUTES.forEach((attribute, index) => {
    names[`#a${index}`] = attribute;
    values[`:v${index}`] = tasks.DynamoAttributeValue.fromString(props.value(attribute));
  });
  const update = new tasks.DynamoUpdateItem(scope, name, {
    table: props.table,
    key: {
      PK: tasks.DynamoAttributeValue.fromString(props.key.PK),
      SK: tasks.DynamoAttributeValue.fromString(props.key.SK),
    },
    updateExpression: `SET ${RUN_ATTRIBUTES.map((_, index) => `#a${index} = :v${index}`).join(', ')}`,
    expressionAttributeNames: names,
    expressionAttributeValues: values,
    ...(props.returnValues === undefined ? {} : { returnValues: props.returnValues }),
    ...(props.resultSelector === undefined ? {} : { resultSelector: props.resultSelector }),
    resultPath: props.resultPath ?? sfn.JsonPath.DISCARD,
  });
  retryDynamoDb(update);
  return update;
}

/** A state that can catch errors: a Task or a Map. */
export interface Catchable {
  addCatch(handler: sfn.IChainable, props?: sfn.CatchProps): unknown;
}

export interface RunRecorderProps {
  readonly workflow: WorkflowName;
  readonly table: dynamodb.ITable;
  /** The organization audit records one summary run under PK ORGANIZATION, with totals. */
  readonly organization?: boolean;
  /**
   * The request field naming the resource (bucketName, queueUrl), recorded
   * as `target` even when the run failed or was rejected; its words name the
   * fallback states. The workflow's defaults must give it ('').
   */
  readonly target?: { readonly field: string; readonly words: string };
  /** The summary's counters read back into $.result.totals (default AUDIT_COUNTERS). */
  readonly counters?: readonly string[];
}

/**
 * The end of every run: "Record the run" (the run record), "Announce the
 * result" (the result event on the default bus), then success, or a Fail
 * state for FAILED runs. Every path of a workflow ends here, including the
 * one recorded-failure path that catches every error.
 */
export class RunRecorder {
  /** Where every outcome note leads. */
  readonly record: tasks.DynamoUpdateItem;
  private readonly scope: Construct;
  private readonly props: RunRecorderProps;
  private problemPath?: { rejected: sfn.Pass; skipped: sfn.Pass; failed: sfn.Pass };

  constructor(scope: Construct, props: RunRecorderProps) {
    this.scope = scope;
    this.props = props;
    const organization = props.organization === true;
    this.record = runRecordUpdate(scope, 'Record the run', {
      table: props.table,
      key: { PK: path('$.result.runKey.PK'), SK: path('$.result.runKey.SK') },
      value: (attribute) =>
        attribute === 'finishedAt'
          ? path('$$.State.EnteredTime')
          : attribute === 'GSI1PK' || attribute === 'GSI1SK'
            ? path(`$.result.index.${attribute}`)
            : path(`$.result.${attribute}`),
      ...(organization
        ? {
            returnValues: tasks.DynamoReturnValues.ALL_NEW,
            resultSelector: Object.fromEntries(
              (props.counters ?? AUDIT_COUNTERS).map((counter) => [
                counter,
                sfn.JsonPath.stringToJson(path(`$.Attributes.${counter}.N`)),
              ]),
            ),
            resultPath: '$.result.totals',
          }
        : {}),
    });

    const announce = new tasks.EventBridgePutEvents(scope, 'Announce the result', {
      entries: [
        {
          source: RESULT_EVENT.source,
          detailType: RESULT_EVENT.detailType,
          detail: sfn.TaskInput.fromObject({
            workflow: path('$.result.workflow'),
            outcome: path('$.result.outcome'),
            accountId: path('$.result.accountId'),
            executionArn: path('$.result.executionArn'),
            runKey: sfn.JsonPath.objectAt('$.result.runKey'),
          }),
        },
      ],
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryEventBridge(announce);

    const failed = new sfn.Fail(scope, 'Stop with the failure', {
      errorPath: '$.result.error',
      causePath: '$.result.errorCause',
    });
    const finished = new sfn.Succeed(scope, 'Finish the run', { outputPath: '$.result' });
    this.record
      .next(announce)
      .next(
        new sfn.Choice(scope, 'Did the run fail?')
          .when(sfn.Condition.stringEquals('$.result.outcome', 'FAILED'), failed)
          .otherwise(finished),
      );
  }

  /** A Pass state that writes $.result for one outcome; chain it to `record` (or a step before it). */
  note(name: string, outcome: Outcome): sfn.Pass {
    return new sfn.Pass(this.scope, name, {
      resultPath: '$.result',
      parameters: this.resultFields(outcome, {
        accountId: path('$.request.accountId'),
        pk: path('$.pk'),
        requestedBy: path('$.request.requestedBy'),
        reason: path('$.request.reason'),
        ticket: path('$.request.ticket'),
        target: this.props.target === undefined ? '' : path(`$.request.${this.props.target.field}`),
        error: outcome.error === undefined ? '' : render(outcome.error),
        errorCause: outcome.errorCause === undefined ? '' : render(outcome.errorCause),
      }),
    });
  }

  /**
   * "Open the summary run" of an organization workflow: PK ORGANIZATION,
   * RUNNING, every counter at 0, so that progress and `history` see the run
   * before it ends ("Record the run" then SETs the rest).
   */
  openSummary(extraCounters: readonly string[] = []): tasks.DynamoPutItem {
    const S = (value: string) => tasks.DynamoAttributeValue.fromString(value);
    const open = new tasks.DynamoPutItem(this.scope, 'Open the summary run', {
      table: this.props.table,
      item: {
        PK: S(ORGANIZATION),
        SK: S(path('$.run.sk')),
        GSI1PK: S(outcomeKey('RUNNING')),
        GSI1SK: S(sfn.JsonPath.format('{}#ORGANIZATION', path('$.run.startedAt'))),
        workflow: S(this.props.workflow),
        outcome: S('RUNNING'),
        accountId: S(ORGANIZATION),
        requestedBy: S(sfn.JsonPath.format('{}', path('$.request.requestedBy'))),
        executionArn: S(path('$.run.executionArn')),
        startedAt: S(path('$.run.startedAt')),
        ...Object.fromEntries(
          [...extraCounters, ...(this.props.counters ?? AUDIT_COUNTERS)].map((counter) => [
            counter,
            tasks.DynamoAttributeValue.fromNumber(0),
          ]),
        ),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    retryDynamoDb(open);
    return open;
  }

  /**
   * A failure the workflow itself finds (not a step's error): records FAILED
   * with this error name and cause, as if a step had thrown it.
   */
  fail(name: string, error: string, cause: string): sfn.Pass {
    const pass = new sfn.Pass(this.scope, name, {
      result: sfn.Result.fromObject({ Error: error, Cause: cause }),
      resultPath: '$.error',
    });
    pass.next(this.problems().failed);
    return pass;
  }

  /**
   * Adds the Catch rules of a step: ConditionalCheckFailed or other
   * step-specific ones first, then InvalidInputError → REJECTED,
   * TargetNotEligibleError → SKIPPED, anything else → FAILED.
   */
  catchProblems(state: Catchable, before: { errors: string[]; next: sfn.IChainable }[] = []): void {
    const problems = this.problems();
    for (const rule of before) state.addCatch(rule.next, { errors: rule.errors, resultPath: '$.error' });
    state.addCatch(problems.rejected, { errors: ['InvalidInputError'], resultPath: '$.error' });
    state.addCatch(problems.skipped, { errors: ['TargetNotEligibleError'], resultPath: '$.error' });
    state.addCatch(problems.failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
  }

  private problems(): { rejected: sfn.Pass; skipped: sfn.Pass; failed: sfn.Pass } {
    if (this.problemPath !== undefined) return this.problemPath;
    const organization = this.props.organization === true;
    const fallback = (field: string): string => path(`$.problem.fallback.${field}`);
    const describe = new sfn.Pass(this.scope, 'Describe the problem', {
      resultPath: '$.result',
      parameters: this.resultFields(
        {
          outcome: { path: '$.problem.outcome' },
          outcomeReason: { path: '$.error.Error' },
        },
        {
          // The request may be the reason of the failure: its fields were
          // read by fallbackFields, strings whatever the input held.
          accountId: organization ? ORGANIZATION : fallback('accountId'),
          pk: organization
            ? ORGANIZATION
            : sfn.JsonPath.format(KEY_TEMPLATE.account, path('$.problem.fallback.accountId')),
          requestedBy: fallback('requestedBy'),
          reason: fallback('reason'),
          ticket: fallback('ticket'),
          target: this.props.target === undefined ? '' : fallback(this.props.target.field),
          error: path('$.error.Error'),
          errorCause: path('$.error.Cause'),
        },
      ),
    });
    describe.next(this.record);
    const readRequest = this.fallbackFields(describe);
    const note = (name: string, outcome: string): sfn.Pass => {
      // No intrinsic here: the input may be of any JSON type.
      const pass = new sfn.Pass(this.scope, name, {
        resultPath: '$.problem',
        parameters: { outcome, fallback: sfn.JsonPath.objectAt('$.defaults') },
      });
      pass.next(readRequest);
      return pass;
    };
    this.problemPath = {
      rejected: note('Note the rejection', 'REJECTED'),
      skipped: note('Note the account was refused', 'SKIPPED'),
      failed: note('Note the failure', 'FAILED'),
    };
    return this.problemPath;
  }

  /**
   * "Is the <field> text?" for each field the record names: the validated
   * value when the request was validated, else the input's when it is a
   * string, else the default. Only Choice conditions look at the input, so
   * an array or object where a string belongs cannot fail the recording.
   */
  private fallbackFields(then: sfn.IChainable): sfn.IChainable {
    let next = then;
    const fields: { field: string; words: string }[] = [
      ...RECORDED_REQUEST_FIELDS.map((field) => ({ field, words: FIELD_WORDS[field] })),
      ...(this.props.target === undefined ? [] : [this.props.target]),
    ];
    for (const { field, words } of fields.reverse()) {
      const keep = (source: string, label: string): sfn.IChainable =>
        new sfn.Pass(this.scope, `Keep the ${label} ${words}`, {
          inputPath: `${source}.${field}`,
          resultPath: `$.problem.fallback.${field}`,
        }).next(next);
      const isText = (source: string): sfn.Condition =>
        sfn.Condition.and(
          sfn.Condition.isPresent(`${source}.${field}`),
          sfn.Condition.isString(`${source}.${field}`),
        );
      next = new sfn.Choice(this.scope, `Is the ${words} text?`)
        .when(isText('$.validated'), keep('$.validated', 'validated'))
        .when(isText('$.input'), keep('$.input', 'given'))
        .otherwise(next);
    }
    return next;
  }

  private resultFields(
    outcome: Outcome,
    who: {
      accountId: string;
      pk: string;
      requestedBy: string;
      reason: string;
      ticket: string;
      target: string;
      error: string;
      errorCause: string;
    },
  ): Record<string, unknown> {
    const organization = this.props.organization === true;
    const renderedOutcome = render(outcome.outcome);
    // A path is recorded as its JSON text; anything else is already JSON text ('[]').
    const json = (p: string | undefined): string =>
      p === undefined ? 'null' : p.startsWith('$') ? sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(p)) : p;
    const keyIds = outcome.sessionAccessKeyIds ?? [];
    return {
      schemaVersion: String(RUN_RECORD_SCHEMA_VERSION),
      workflow: this.props.workflow,
      outcome: renderedOutcome,
      accountId: organization ? ORGANIZATION : who.accountId,
      runKey: { PK: organization ? ORGANIZATION : who.pk, SK: path('$.run.sk') },
      index: {
        GSI1PK:
          typeof outcome.outcome === 'string'
            ? outcomeKey(outcome.outcome)
            : sfn.JsonPath.format(KEY_TEMPLATE.outcome, renderedOutcome),
        GSI1SK: organization
          ? sfn.JsonPath.format('{}#ORGANIZATION', path('$.run.startedAt'))
          : sfn.JsonPath.format('{}#{}', path('$.run.startedAt'), who.accountId),
      },
      outcomeReason: outcome.outcomeReason === undefined ? '' : render(outcome.outcomeReason),
      requestedBy: who.requestedBy,
      reason: who.reason,
      ticket: who.ticket,
      target: who.target,
      before: json(outcome.before),
      actions: json(outcome.actions),
      after: json(outcome.after),
      sessionAccessKeyIds:
        keyIds.length === 0
          ? '[]'
          : sfn.JsonPath.jsonToString(sfn.JsonPath.array(...keyIds.map((keyId) => path(keyId)))),
      sessionsReopened: outcome.sessionsReopened === undefined ? '[]' : json(outcome.sessionsReopened),
      keptKeys: outcome.keptKeys === undefined ? '[]' : json(outcome.keptKeys),
      error: who.error,
      errorCause: who.errorCause,
      executionArn: path('$.run.executionArn'),
      startedAt: path('$.run.startedAt'),
    };
  }
}
