import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  RESULTS_TABLE_INDEX_NAME,
  RESULTS_TABLE_SCHEMA,
  RESULTS_TABLE_TTL_ATTRIBUTE,
} from './results-table-schema';

function attribute(name: string): dynamodb.Attribute {
  const definition = RESULTS_TABLE_SCHEMA.AttributeDefinitions.find((item) => item.AttributeName === name);
  if (definition === undefined) throw new Error(`results table schema lacks attribute ${name}`);
  return { name, type: dynamodb.AttributeType.STRING };
}

/**
 * The results table: every run, the latest posture of every account, every
 * policy backup. It is the audit trail of root actions, so it is retained on
 * stack deletion, protected against deletion and recoverable to any second.
 */
export class ResultsTable extends Construct {
  readonly table: dynamodb.Table;
  readonly indexName = RESULTS_TABLE_INDEX_NAME;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const [partition, sort] = RESULTS_TABLE_SCHEMA.KeySchema;
    const [index] = RESULTS_TABLE_SCHEMA.GlobalSecondaryIndexes;
    // The construct id 'Table' never changes: a new id would replace the table.
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attribute(partition.AttributeName),
      sortKey: attribute(sort.AttributeName),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: RESULTS_TABLE_TTL_ATTRIBUTE,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: index.IndexName,
      partitionKey: attribute(index.KeySchema[0].AttributeName),
      sortKey: attribute(index.KeySchema[1].AttributeName),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
