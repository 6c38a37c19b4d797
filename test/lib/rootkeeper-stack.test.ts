import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { taskPolicyArn } from '../../lambdas/root-access/task-policies';
import { buildRootkeeperApp } from '../../lib/build-app';
import { FUNCTION_CATALOG, type FunctionSpec } from '../../lib/function-catalog';
import { RESULTS_TABLE_SCHEMA } from '../../lib/results-table-schema';
import { WORKFLOWS } from '../../lib/workflows/names';
import {
  asArray,
  logicalIdOfRef,
  policyStatements,
  resolveIntrinsics,
  type Template,
} from './support/template';

// One synthesis for the whole file: a region other than us-east-1 adds the forwarder stack;
// every task gated (deletes too), so cdk-nag sees each approval gate.
const { app, stack, forwarder } = buildRootkeeperApp({
  env: { account: '111111111111', region: 'eu-west-1' },
  config: {
    notificationEmail: 'oncall@example.com',
    rootSessionDurationSeconds: 600,
    approvals: { deleteRootCredentials: true, enableRecovery: true, unlockS3: true, unlockSqs: true },
  },
});
const assembly = app.synth();
const template = assembly.getStackByName(stack.stackName).template as Template;
const forwarderTemplate = assembly.getStackByName(forwarder?.stackName ?? 'missing').template as Template;
const templates = { service: template, forwarder: forwarderTemplate };

function resourcesOfType(t: Template, type: string): [string, Template['Resources'][string]][] {
  return Object.entries(t.Resources).filter(([, resource]) => resource.Type === type);
}

/** The logical id of the role of the function built for a catalog entry. */
function roleOfFunction(spec: FunctionSpec): string {
  const [, fn] =
    resourcesOfType(template, 'AWS::Lambda::Function').find(([logicalId]) =>
      logicalId.startsWith(`Functions${spec.id}Function`),
    ) ?? [];
  if (fn === undefined) throw new Error(`no function for ${spec.id}`);
  return logicalIdOfRef(fn.Properties?.Role);
}

function statementsOfRole(roleLogicalId: string): Record<string, unknown>[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      asArray(policy.Properties?.Roles).some((role) => logicalIdOfRef(role) === roleLogicalId),
    )
    .flatMap(
      ([, policy]) =>
        (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
}

describe('root-task functions', () => {
  const catalog = Object.values(FUNCTION_CATALOG) as FunctionSpec[];

  test.each(catalog.filter((spec) => spec.rootTask !== undefined).map((spec) => [spec.id, spec]))(
    '%s may assume root only with its own task policy',
    (_id, spec) => {
      const assumeRoot = statementsOfRole(roleOfFunction(spec)).filter((statement) =>
        asArray(statement.Action as string | string[]).includes('sts:AssumeRoot'),
      );
      expect(assumeRoot).toHaveLength(1);
      const [statement] = assumeRoot.map((s) => resolveIntrinsics(s, template) as Record<string, unknown>);
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRoot',
        Resource: 'arn:aws:iam::*:root',
        Condition: { StringEquals: { 'sts:TaskPolicyArn': taskPolicyArn(spec.rootTask!, 'aws') } },
      });
      // One condition operator, one key, one value: no second task can slip in.
      expect(Object.keys(statement?.Condition as object)).toEqual(['StringEquals']);
    },
  );

  test('no other role may call sts:AssumeRoot at all', () => {
    const rootTaskRoles = new Set(
      catalog.filter((spec) => spec.rootTask !== undefined).map((spec) => roleOfFunction(spec)),
    );
    const assumeRootHolders = policyStatements(template)
      .filter(({ statement }) =>
        asArray(statement.Action as string | string[]).some((a) => a.startsWith('sts:AssumeRoot')),
      )
      .map(({ logicalId }) => template.Resources[logicalId]?.Properties?.Roles)
      .flatMap((roles) => asArray(roles).map(logicalIdOfRef));
    expect(new Set(assumeRootHolders)).toEqual(rootTaskRoles);
  });

  test('functions use the newest Node.js runtime on arm64 with active tracing and a session-bound timeout', () => {
    for (const [, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.Properties?.Timeout as number).toBeLessThanOrEqual(900);
    }
    const audit = resourcesOfType(template, 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('FunctionsAuditRootCredentials'),
    );
    expect(audit?.[1].Properties).toMatchObject({
      Timeout: 120,
      Environment: {
        Variables: { ROOT_SESSION_DURATION_SECONDS: '600', POWERTOOLS_SERVICE_NAME: 'rootkeeper' },
      },
    });
  });
});

describe('IAM', () => {
  test.each(Object.entries(templates))(
    'no Allow statement in the %s stack has a wildcard action',
    (_name, t) => {
      const statements = policyStatements(t);
      expect(statements.length).toBeGreaterThan(5);
      for (const { logicalId, statement } of statements) {
        if (statement.Effect === 'Deny') {
          // The only denials are enforceSSL's (every action of the queue or topic, over plain HTTP)
          // and the bus policy's (PutEvents by anyone but the forwarders and vending principals).
          const condition = statement.Condition as Record<string, Record<string, unknown>>;
          if (condition.ArnNotEquals !== undefined) {
            expect(statement.Action).toBe('events:PutEvents');
            expect(Object.keys(condition.ArnNotEquals)).toEqual(['aws:PrincipalArn']);
          } else expect(condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
          continue;
        }
        for (const action of asArray(statement.Action as string | string[])) {
          expect({ logicalId, action }).toEqual({
            logicalId,
            action: expect.not.stringContaining('*') as unknown,
          });
        }
        expect(statement.NotAction).toBeUndefined();
      }
    },
  );

  test('the operator policy starts and watches the workflows and reads the table, nothing more', () => {
    const [[, policy] = []] = resourcesOfType(template, 'AWS::IAM::ManagedPolicy');
    const document = policy?.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] };
    const actions = document.Statement.flatMap((statement) => asArray(statement.Action as string | string[]));
    expect(new Set(actions)).toEqual(
      new Set([
        'states:StartExecution',
        'states:ListExecutions',
        'states:DescribeStateMachine',
        'states:DescribeExecution',
        'states:GetExecutionHistory',
        'dynamodb:GetItem',
        'dynamodb:Query',
        // remediate --execute saves the plan: PLAN#<run> items only (the condition below).
        'dynamodb:BatchWriteItem',
        'cloudformation:DescribeStacks',
        'iam:ListOrganizationsFeatures',
        'organizations:ListAWSServiceAccessForOrganization',
        // guardrails --check: the SCPs, read-only.
        'organizations:ListPolicies',
        'organizations:DescribePolicy',
        'organizations:ListTargetsForPolicy',
        // remediate --plan: the accounts in scope, read-only.
        'organizations:DescribeOrganization',
        'organizations:ListAccounts',
        'organizations:ListAccountsForParent',
        'organizations:ListChildren',
      ]),
    );
    const listParents = document.Statement.find(
      (statement) => statement.Sid === 'ListOrganizationalUnitMembers',
    );
    expect(JSON.stringify(listParents?.Resource)).toMatch(/:ou\/o-\*\/ou-\*".*:root\/o-\*\/r-\*"/);
    expect(document.Statement.find((statement) => statement.Sid === 'SaveRemediationPlans')).toMatchObject({
      Action: 'dynamodb:BatchWriteItem',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PLAN#*'] } },
    });
    const readScps = document.Statement.find((statement) => statement.Sid === 'ReadGuardrailPolicies');
    expect(JSON.stringify(readScps?.Resource)).toMatch(
      /:organizations::[^"]*:policy\/o-\*\/service_control_policy\/\*".*:organizations::aws:policy\/service_control_policy\/\*"/,
    );
  });
});

describe('approval decisions', () => {
  const [[decideLogicalId] = []] = resourcesOfType(template, 'AWS::Lambda::Function').filter(([logicalId]) =>
    logicalId.startsWith('ApprovalDecisionsDecideApproval'),
  );
  const managedStatements = () =>
    resourcesOfType(template, 'AWS::IAM::ManagedPolicy').flatMap(([logicalId, policy]) =>
      (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.map(
        (statement) => ({ logicalId, statement }),
      ),
    );

  test('the Decide approval function gives the go-ahead of the Remediate organization workflow, and reads its runs', () => {
    const [[, fn] = []] = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      ([logicalId]) => logicalId === decideLogicalId,
    );
    const variables = (fn?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(variables.GO_AHEAD_STATE_MACHINE_ARNS)).toMatch(/WorkflowsRemediateOrganization/);
    expect(JSON.stringify(variables.GATED_STATE_MACHINE_ARNS)).not.toMatch(/RemediateOrganization/);
    const readStatement = resourcesOfType(template, 'AWS::IAM::Policy')
      .flatMap(
        ([, policy]) =>
          (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      )
      .find((statement) => statement.Sid === 'ReadWaitingRequests');
    expect(JSON.stringify(readStatement?.Resource)).toMatch(/WorkflowsRemediateOrganization/);
  });

  test('the Decide approval function has a function URL that only AWS_IAM-signed requests reach', () => {
    const urls = resourcesOfType(template, 'AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    expect(urls[0]?.[1].Properties).toMatchObject({
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [decideLogicalId, 'Arn'] },
    });
    expect(template.Outputs?.DecideApprovalUrl?.Value).toEqual({
      'Fn::GetAtt': [urls[0]?.[0], 'FunctionUrl'],
    });
  });

  test('no managed policy answers task tokens (approvals nor the remediation go-ahead); the approver policy only invokes the function through its URL', () => {
    const answering = managedStatements().filter(({ statement }) =>
      asArray(statement.Action as string | string[]).some((action) => action.startsWith('states:SendTask')),
    );
    expect(answering.map(({ logicalId, statement }) => [logicalId, statement.Sid])).toEqual([]);
    const approverInvokes = managedStatements().filter(
      ({ logicalId, statement }) =>
        logicalId.startsWith('ApproverAccess') &&
        asArray(statement.Action as string | string[]).some((action) => action.startsWith('lambda:')),
    );
    expect(approverInvokes.map(({ statement }) => statement)).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunctionUrl',
        Resource: { 'Fn::GetAtt': [decideLogicalId, 'Arn'] },
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      }),
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [decideLogicalId, 'Arn'] },
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      }),
    ]);
  });

  test('only the Decide approval function’s role may call SendTaskSuccess and SendTaskFailure', () => {
    const holders = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) =>
        (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement.some(
          (statement) =>
            asArray(statement.Action as string | string[]).some((action) =>
              action.startsWith('states:SendTask'),
            ),
        ),
      )
      .flatMap(([, policy]) => asArray(policy.Properties?.Roles).map((role) => logicalIdOfRef(role)));
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/^ApprovalDecisionsDecideApprovalRole/);
  });
});

describe('results table', () => {
  test('is on demand, recoverable, protected, retained, encrypted, with the shared key schema and TTL', () => {
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const [[, table] = []] = tables;
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: RESULTS_TABLE_SCHEMA.KeySchema,
    });
    const properties = table?.Properties as {
      AttributeDefinitions: unknown[];
      GlobalSecondaryIndexes: unknown[];
    };
    expect(properties.AttributeDefinitions).toEqual(
      expect.arrayContaining(RESULTS_TABLE_SCHEMA.AttributeDefinitions as unknown as unknown[]),
    );
    expect(properties.GlobalSecondaryIndexes).toEqual(RESULTS_TABLE_SCHEMA.GlobalSecondaryIndexes);
  });
});

describe('triggers', () => {
  test.each(Object.entries(templates))(
    'every rule target of the %s stack has a dead-letter queue and a retry policy',
    (_name, t) => {
      const rules = resourcesOfType(t, 'AWS::Events::Rule');
      expect(rules.length).toBeGreaterThanOrEqual(2);
      for (const [logicalId, rule] of rules) {
        const targets = rule.Properties?.Targets as Record<string, unknown>[];
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets) {
          expect({ logicalId, target }).toMatchObject({
            target: {
              DeadLetterConfig: { Arn: expect.anything() as unknown },
              RetryPolicy: {
                MaximumEventAgeInSeconds: expect.any(Number) as unknown,
                MaximumRetryAttempts: expect.any(Number) as unknown,
              },
            },
          });
        }
      }
    },
  );

  test('every queue and the alarm topic are encrypted, and each has its own policy refusing plain HTTP', () => {
    /** A Deny of `actions` on `resource` to everyone when aws:SecureTransport is false. */
    const refusesPlainHttp = (actions: string, resource: unknown) =>
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: actions,
        Resource: resource,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }) as unknown;
    /** The statements of the policies of `policyType` attached (through `listKey`) to `logicalId`; "*" as { AWS: "*" }. */
    const statementsOf = (t: Template, policyType: string, listKey: string, logicalId: string) =>
      resourcesOfType(t, policyType)
        .filter(([, policy]) =>
          asArray(policy.Properties?.[listKey] as unknown[]).some(
            (target) => JSON.stringify(target) === JSON.stringify({ Ref: logicalId }),
          ),
        )
        .flatMap(
          ([, policy]) =>
            (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] } | undefined)
              ?.Statement ?? [],
        )
        .map((statement) =>
          statement.Principal === '*' ? { ...statement, Principal: { AWS: '*' } } : statement,
        );
    let queues = 0;
    for (const t of Object.values(templates)) {
      for (const [logicalId, queue] of resourcesOfType(t, 'AWS::SQS::Queue')) {
        queues += 1;
        expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(statementsOf(t, 'AWS::SQS::QueuePolicy', 'Queues', logicalId)).toContainEqual(
          refusesPlainHttp('sqs:*', { 'Fn::GetAtt': [logicalId, 'Arn'] }),
        );
      }
    }
    expect(queues).toBeGreaterThanOrEqual(1);
    const topics = resourcesOfType(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    for (const [logicalId, topic] of topics) {
      expect(topic.Properties?.KmsMasterKeyId).toBeDefined();
      expect(statementsOf(template, 'AWS::SNS::TopicPolicy', 'Topics', logicalId)).toContainEqual(
        refusesPlainHttp('sns:Publish', { Ref: logicalId }),
      );
    }
    expect(resourcesOfType(template, 'AWS::SNS::Subscription')).toHaveLength(1);
  });

  test('the audit runs on the configured schedule', () => {
    const schedules = resourcesOfType(template, 'AWS::Events::Rule').filter(
      ([, rule]) => rule.Properties?.ScheduleExpression,
    );
    expect(schedules.map(([, rule]) => rule.Properties?.ScheduleExpression)).toEqual(['rate(1 day)']);
  });
});

describe('alarms', () => {
  test('watch failed executions of every workflow, the dead-letter queue and throttling', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm.Properties ?? {},
    );
    const metrics = alarms.map((alarm) => `${String(alarm.Namespace)}/${String(alarm.MetricName)}`);
    expect(metrics.filter((metric) => metric === 'AWS/States/ExecutionsFailed')).toHaveLength(7);
    expect(metrics).toContain('AWS/SQS/ApproximateNumberOfMessagesVisible');
    expect(metrics).toContain('AWS/Lambda/Throttles');
    expect(metrics).toContain('AWS/States/ExecutionThrottled');
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });

  test('a root key in use kept by a delete notifies the alarm topic', () => {
    const [alarm] = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
      .map(([, resource]) => resource.Properties ?? {})
      .filter((properties) => properties.MetricName === 'RootKeysInUseKept');
    expect(alarm).toMatchObject({
      Namespace: 'Rootkeeper',
      Dimensions: expect.arrayContaining([
        { Name: 'workflow', Value: 'DeleteRootCredentials' },
        { Name: 'service', Value: 'rootkeeper' },
      ]) as unknown,
      Threshold: 1,
      AlarmActions: [
        expect.objectContaining({ Ref: expect.stringMatching(/^AlarmsNotificationsTopic/) as unknown }),
      ],
    });
  });
});

describe('outputs', () => {
  test('name the table, the bus and every state machine as docs/architecture.md says', () => {
    expect(Object.keys(template.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'ResultsTableName',
        'EventBusName',
        ...Object.values(WORKFLOWS).map((w) => w.output),
      ]),
    );
  });
});

describe('cdk-nag', () => {
  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ])('%s finds nothing that is not acknowledged', (_name, pack) => {
    for (const scope of [stack, forwarder!]) {
      const report = pack().validateScope(scope);
      expect(
        report.violations.map(
          (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        ),
      ).toEqual([]);
    }
  });

  test('every acknowledgment names one granular finding (for IAM5) and gives a reason', () => {
    const acknowledgments: [string, string][] = [];
    const visit = (construct: IConstruct): void => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
          acknowledgments.push([id, reason]);
      }
      construct.node.children.forEach(visit);
    };
    visit(app);
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledgments) {
      if (id.includes('IAM5')) expect(id).toMatch(/IAM5\[Resource::.+\]$/);
      expect(reason.length).toBeGreaterThan(30);
    }
  });
});

describe('event forwarder', () => {
  test('forwards the new-account events from us-east-1 to the service bus in its region', () => {
    expect(forwarder?.region).toBe('us-east-1');
    const rules = resourcesOfType(forwarderTemplate, 'AWS::Events::Rule');
    expect(
      rules.map(
        ([, rule]) => (rule.Properties?.EventPattern as { detail: { eventName: string[] } }).detail.eventName,
      ),
    ).toEqual([
      ['CreateAccountResult'],
      ['AccountJoinedOrganization'],
      ['CreateManagedAccount'],
      ['UpdateManagedAccount'],
    ]);
    for (const [, rule] of rules) {
      const [target] = rule.Properties?.Targets as { Arn: unknown; RoleArn: unknown }[];
      expect(resolveIntrinsics(target?.Arn, forwarderTemplate)).toBe(
        'arn:aws:events:eu-west-1:111111111111:event-bus/rootkeeper',
      );
      expect(target?.RoleArn).toBeDefined();
    }
  });

  test('is not added when the service is in us-east-1, or when turned off', () => {
    expect(buildRootkeeperApp({ env: { region: 'us-east-1' } }).forwarder).toBeUndefined();
    expect(
      buildRootkeeperApp({ env: { region: 'eu-west-1' }, config: { forwardOrganizationsEvents: false } })
        .forwarder,
    ).toBeUndefined();
  });
});

test('the forwarder alarms on its own dead-letter queue, through its own topic', () => {
  const [[, alarm] = []] = resourcesOfType(forwarderTemplate, 'AWS::CloudWatch::Alarm');
  expect(alarm?.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible' });
  expect(resourcesOfType(forwarderTemplate, 'AWS::SNS::Subscription')).toHaveLength(1);
});
