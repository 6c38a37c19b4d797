import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { KEY_TEMPLATE } from '../results-table-keys';
import { retryDynamoDb } from '../workflows/retry';

/** Where the decision read lands in the state: `<path>.found.Item` when one was recorded. */
const DECISION_RECORD_PATH = '$.decisionRecord';

/**
 * A workflow step that reads the decision the Decide approval function
 * recorded for this run (PK APPROVAL#<execution ARN>, the given sort key:
 * DECISION for an approval, GO_AHEAD#<wave> for a remediation's go-ahead).
 * Strongly consistent: the function writes it just before it answers the
 * task token, and an eventually consistent read could miss it. The
 * callback's own output is never evidence; this record is.
 * (lib/workflows/approval-gate.ts reads its DECISION with it too.)
 */
export function readDecisionRecord(
  scope: Construct,
  name: string,
  props: { readonly table: dynamodb.ITable; readonly sortKey: string },
): tasks.DynamoGetItem {
  const read = new tasks.DynamoGetItem(scope, name, {
    table: props.table,
    key: {
      PK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format(KEY_TEMPLATE.approval, sfn.JsonPath.stringAt('$.run.executionArn')),
      ),
      SK: tasks.DynamoAttributeValue.fromString(props.sortKey),
    },
    consistentRead: true,
    resultSelector: { 'found.$': '$' },
    resultPath: DECISION_RECORD_PATH,
  });
  retryDynamoDb(read);
  return read;
}

/** Whether the read found a decision record with this decision. */
export function decisionRecorded(decision: 'APPROVED' | 'DENIED'): sfn.Condition {
  return sfn.Condition.and(
    sfn.Condition.isPresent(`${DECISION_RECORD_PATH}.found.Item`),
    sfn.Condition.stringEquals(`${DECISION_RECORD_PATH}.found.Item.decision.S`, decision),
  );
}

/** Who decided, when and why, from the record found (Pass parameters). */
export function recordedDecider(): Record<string, string> {
  const item = `${DECISION_RECORD_PATH}.found.Item`;
  return {
    by: sfn.JsonPath.stringAt(`${item}.by.S`),
    at: sfn.JsonPath.stringAt(`${item}.at.S`),
    reason: sfn.JsonPath.stringAt(`${item}.reason.S`),
  };
}
