import { startLocalDynamoDb, type LocalResultsTable } from '../../../local/dynamodb/local-dynamodb';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from '../../../local/step-functions';
import type { TemplateJson } from '../../../local/template';
import { synthesizeTestStack, TEST_CATALOG } from './test-stack';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const TABLE = 'results-local';

export type LocalDynamo = LocalResultsTable;

/** dynalite on loopback with a table keyed like the results table. */
export function startDynalite(tableName = TABLE): Promise<LocalDynamo> {
  return startLocalDynamoDb({ tableName, region: REGION });
}

function tableLogicalId(template: TemplateJson): string {
  const entry = Object.entries(template.Resources ?? {}).find(([, r]) => r.Type === 'AWS::DynamoDB::Table');
  if (entry === undefined) throw new Error('the test stack has no table');
  return entry[0];
}

let cached: TemplateJson | undefined;

/** The test stack's template (synthesized once per test file: synthesis takes a while). */
function testTemplate(): TemplateJson {
  cached ??= synthesizeTestStack();
  return cached;
}

export function createRunner(
  dynamo: LocalDynamo,
  options: Partial<LocalStepFunctionsOptions> = {},
): LocalStepFunctions {
  const template = options.template ?? testTemplate();
  return new LocalStepFunctions({
    region: REGION,
    accountId: ACCOUNT,
    catalog: TEST_CATALOG,
    physicalNames: 'Resources' in template ? { [tableLogicalId(template)]: TABLE } : undefined,
    dynamodb: { endpoint: dynamo.endpoint },
    retryDelayMs: 5,
    ...options,
    template,
  });
}

/** A state machine's local ARN by the start of its logical id (CDK appends a hash). */
export function machineArn(runner: LocalStepFunctions, logicalIdPrefix: string): string {
  const machine = runner.template.stateMachines.find((m) => m.logicalId.startsWith(logicalIdPrefix));
  if (machine === undefined) throw new Error(`no state machine ${logicalIdPrefix}`);
  return machine.arn;
}
