import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { retryDynamoDb } from './retry';
import { KEY_TEMPLATE, POSTURE } from '../results-table-keys';

/**
 * A posture step: the account's latest root posture (one item per
 * account, listed by GSI1PK = POSTURE), written straight from the workflow.
 * `posturePath` points at a Posture object, `checkedAtPath` at its time.
 */
export function recordPosture(
  scope: Construct,
  name: string,
  table: dynamodb.ITable,
  posturePath: string,
  checkedAtPath: string,
): tasks.DynamoPutItem {
  const task = new tasks.DynamoPutItem(scope, name, {
    table,
    item: {
      PK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format(KEY_TEMPLATE.account, sfn.JsonPath.stringAt('$.request.accountId')),
      ),
      SK: tasks.DynamoAttributeValue.fromString(POSTURE),
      GSI1PK: tasks.DynamoAttributeValue.fromString(POSTURE),
      GSI1SK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format(KEY_TEMPLATE.account, sfn.JsonPath.stringAt('$.request.accountId')),
      ),
      accountId: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.request.accountId')),
      posture: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(posturePath)),
      ),
      credentialsPresent: tasks.DynamoAttributeValue.booleanFromJsonPath(
        sfn.JsonPath.stringAt(`${posturePath}.credentialsPresent`),
      ),
      checkedAt: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt(checkedAtPath)),
      checkedBy: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.executionArn')),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  retryDynamoDb(task);
  return task;
}
