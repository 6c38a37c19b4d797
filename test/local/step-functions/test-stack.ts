import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../../lib/function-catalog';
import type { TemplateJson } from '../../../local/template';

const fixture = (file: string) =>
  path.relative(path.resolve(__dirname, '../../..'), path.join(__dirname, 'fixtures', file));

/** A catalog of test handlers, shaped like lib/function-catalog.ts. */
export const TEST_CATALOG: Record<string, FunctionSpec> = {
  echo: { id: 'Echo', entry: fixture('echo-handler.ts'), description: 'test: echo' },
  flaky: { id: 'Flaky', entry: fixture('flaky-handler.ts'), description: 'test: flaky' },
  item: { id: 'Item', entry: fixture('item-handler.ts'), description: 'test: map item' },
};

// Nested like lib/lambda-defaults.ts: <catalog id>/Function/Resource.
class TestFunction extends Construct {
  readonly function: lambda.Function;
  constructor(scope: Construct, spec: FunctionSpec, environment: Record<string, string>) {
    super(scope, spec.id);
    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => null;'),
      description: spec.description,
      timeout: Duration.seconds(10),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'rootkeeper-test',
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
    });
  }
}

function invoke(
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  props: Partial<tasks.LambdaInvokeProps> = {},
) {
  return new tasks.LambdaInvoke(scope, id, { lambdaFunction: fn, payloadResponseOnly: true, ...props });
}

export interface TestStackOptions {
  readonly pathMetadata?: boolean;
  /** Adds a state the local runner must refuse. */
  readonly unsupported?: 'sqs' | 'itemReader';
}

/** Every construct the runner must handle, in small state machines: synthesized, not hand-written. */
export function synthesizeTestStack(options: TestStackOptions = {}): TemplateJson {
  const app = new App({ context: { 'aws:cdk:enable-path-metadata': options.pathMetadata ?? true } });
  const stack = new Stack(app, 'RunnerTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const table = new dynamodb.Table(stack, 'Results', {
    partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
  });
  const env = { RESULTS_TABLE_NAME: table.tableName };
  const echo = new TestFunction(stack, TEST_CATALOG.echo as FunctionSpec, env).function;
  const flaky = new TestFunction(stack, TEST_CATALOG.flaky as FunctionSpec, env).function;
  const item = new TestFunction(stack, TEST_CATALOG.item as FunctionSpec, env).function;
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'rootkeeper-test' });

  const child = new sfn.StateMachine(stack, 'Child', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Child pass')),
  });

  const recordFailure = new sfn.Pass(stack, 'Record duplicate', {
    result: sfn.Result.fromObject({ duplicate: true }),
  });
  const put = new tasks.DynamoPutItem(stack, 'Claim request', {
    table,
    item: {
      PK: tasks.DynamoAttributeValue.fromString(
        sfn.JsonPath.format('REQUEST#{}', sfn.JsonPath.stringAt('$.id')),
      ),
      SK: tasks.DynamoAttributeValue.fromString('CLAIM'),
      echo: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.echo'))),
    },
    conditionExpression: 'attribute_not_exists(PK)',
    resultPath: sfn.JsonPath.DISCARD,
  });
  put.addCatch(recordFailure, {
    errors: ['DynamoDB.ConditionalCheckFailedException'],
    resultPath: '$.claimError',
  });
  const announce = new tasks.EventBridgePutEvents(stack, 'Announce result', {
    entries: [
      {
        eventBus: bus,
        source: 'rootkeeper',
        detailType: 'Rootkeeper Run Result',
        detail: sfn.TaskInput.fromObject({
          id: sfn.JsonPath.stringAt('$.id'),
          execution: sfn.JsonPath.executionId,
        }),
      },
    ],
    resultPath: '$.announced',
  });
  const startChild = new tasks.StepFunctionsStartExecution(stack, 'Start child', {
    stateMachine: child,
    name: sfn.JsonPath.format('child-{}', sfn.JsonPath.stringAt('$.id')),
    input: sfn.TaskInput.fromObject({ parent: sfn.JsonPath.executionName }),
    resultPath: '$.child',
  });
  const map = new sfn.DistributedMap(stack, 'Process each item', {
    itemsPath: '$.items',
    maxConcurrency: 2,
    itemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'fail.$': '$.failItems' },
    resultPath: '$.processed',
  });
  map.itemProcessor(invoke(stack, 'Process item', item));
  const hasItems = new sfn.Choice(stack, 'Any items?')
    .when(sfn.Condition.isPresent('$.items'), map)
    .otherwise(new sfn.Succeed(stack, 'No items'));
  const pipeline = invoke(stack, 'Echo input', echo, { resultPath: '$.echo' }).next(
    put.next(announce).next(startChild).next(hasItems),
  );
  recordFailure.next(
    new sfn.Fail(stack, 'Duplicate request', { error: 'DuplicateRequest', cause: 'already claimed' }),
  );
  new sfn.StateMachine(stack, 'Pipeline', { definitionBody: sfn.DefinitionBody.fromChainable(pipeline) });

  const flakyCall = invoke(stack, 'Call flaky', flaky);
  flakyCall.addRetry({
    errors: ['ThrottledError'],
    maxAttempts: 2,
    interval: Duration.seconds(1),
    backoffRate: 2,
  });
  flakyCall.addCatch(
    new sfn.Pass(stack, 'Record failure', {
      parameters: { 'error.$': '$.error.Error', 'cause.$': 'States.StringToJson($.error.Cause)' },
    }),
    {
      errors: ['States.ALL'],
      resultPath: '$.error',
    },
  );
  new sfn.StateMachine(stack, 'FlakyWorkflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(flakyCall),
  });

  const wait = new sfn.Wait(stack, 'Wait a while', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
  new sfn.StateMachine(stack, 'Slow', { definitionBody: sfn.DefinitionBody.fromChainable(wait) });

  if (options.unsupported === 'sqs') {
    const queue = new sfn.CustomState(stack, 'Send message', {
      stateJson: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage',
        Parameters: { QueueUrl: 'q', MessageBody: 'x' },
      },
    });
    new sfn.StateMachine(stack, 'Unsupported', { definitionBody: sfn.DefinitionBody.fromChainable(queue) });
  }
  if (options.unsupported === 'itemReader') {
    const reader = new sfn.CustomState(stack, 'Read items', {
      stateJson: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: 'b', Key: 'k' },
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'P',
          States: { P: { Type: 'Pass', End: true } },
        },
      },
    });
    new sfn.StateMachine(stack, 'Unsupported', { definitionBody: sfn.DefinitionBody.fromChainable(reader) });
  }
  return Template.fromStack(stack).toJSON();
}
