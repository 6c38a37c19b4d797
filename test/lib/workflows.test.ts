import { DOMAIN_ERRORS, RETRYABLE_ERROR_NAMES } from '../../lambdas/root-access/errors';
import { buildRootkeeperApp, rootkeeperResourceIds } from '../../lib/build-app';
import { FUNCTION_CATALOG, type FunctionSpec } from '../../lib/function-catalog';
import { DYNAMODB_TRANSIENT_ERRORS, LAMBDA_TRANSIENT_ERRORS } from '../../lib/workflows/retry';
import { errorName as localDynamoDbErrorName } from '../../local/step-functions/dynamodb-task';
import { stateMachineDefinitions, templateOf } from './support/template';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator: string) => string;
};

type State = Record<string, unknown> & { Type: string };
type Definition = { StartAt: string; States: Record<string, State> };

const { app, stack } = buildRootkeeperApp();
const template = templateOf(app, stack);
const definitions = stateMachineDefinitions(template) as Record<string, Definition>;
const byName = (name: string): Definition => {
  const key = Object.keys(definitions).find((id) => id.startsWith(`Workflows${name}`));
  if (key === undefined) throw new Error(`no state machine ${name}`);
  return definitions[key]!;
};

/** Every state, including those inside Map processors, with its name. */
function allStates(definition: Definition): [string, State][] {
  return Object.entries(definition.States).flatMap(([name, state]) => {
    const processor = (state.ItemProcessor ?? state.Iterator) as Definition | undefined;
    return [[name, state] as [string, State], ...(processor === undefined ? [] : allStates(processor))];
  });
}

const entries = Object.entries(definitions);
/** The workflows that record a run; the audit's shard workflow adds its counts to the audit's summary instead. */
const workflows = entries.filter(([id]) => !id.startsWith('WorkflowsAuditOrganizationShard'));

test('seven workflows and the audit shard workflow, all Standard state machines', () => {
  expect(workflows).toHaveLength(7);
  expect(entries).toHaveLength(8);
  for (const [, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      expect(resource.Properties?.StateMachineType).toBe('STANDARD');
    }
  }
});

test.each(entries)('%s passes asl-validator', (_id, definition) => {
  // The validator writes default fields into what it checks: give it a copy.
  const result = aslValidator(structuredClone(definition));
  expect(result.errorsText('\n')).toBe('');
  expect(result.isValid).toBe(true);
});

test.each(entries)('%s is JSONPath only: no JSONata anywhere', (_id, definition) => {
  const text = JSON.stringify(definition);
  expect(text).not.toContain('QueryLanguage');
  expect(text).not.toContain('{%');
  expect(text).not.toMatch(/"(Arguments|Output|Assign)"/);
});

test.each(entries)('%s names its states in plain words', (_id, definition) => {
  for (const [name] of allStates(definition)) {
    expect(name).toMatch(/^[A-Z][a-z]*( [a-z0-9]+)*\??$/);
    expect(name.length).toBeLessThanOrEqual(50);
  }
});

test.each(entries)(
  '%s: every Lambda step returns the payload only and retries named transient errors',
  (_id, definition) => {
    for (const [name, state] of allStates(definition)) {
      if (state.Type !== 'Task' || !String(state.Resource).startsWith('arn:aws:lambda:')) continue;
      const retried = (state.Retry as { ErrorEquals: string[]; JitterStrategy?: string }[]).flatMap(
        (rule) => rule.ErrorEquals,
      );
      expect({ name, retried }).toEqual({
        name,
        retried: expect.arrayContaining([...RETRYABLE_ERROR_NAMES, ...LAMBDA_TRANSIENT_ERRORS]) as unknown,
      });
      for (const rule of state.Retry as { JitterStrategy?: string; BackoffRate?: number }[]) {
        expect(rule).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: 2 });
      }
    }
  },
);

test.each(entries)(
  '%s: the Lambda steps retry exactly the domain errors whose class is retryable, and no other',
  (_id, definition) => {
    const retryable = DOMAIN_ERRORS.filter((errorClass) => errorClass.retryable).map(({ name }) => name);
    const terminal = DOMAIN_ERRORS.filter((errorClass) => !errorClass.retryable).map(({ name }) => name);
    expect(retryable).toContain('ThrottledError');
    expect(terminal).toContain('InvalidInputError');
    for (const [name, state] of allStates(definition)) {
      if (state.Type !== 'Task' || !String(state.Resource).startsWith('arn:aws:lambda:')) continue;
      const retried = (state.Retry as { ErrorEquals: string[] }[]).flatMap((rule) => rule.ErrorEquals);
      const domainRetried = retried.filter((error) => !error.includes('.'));
      expect({ name, retried: [...domainRetried].sort() }).toEqual({ name, retried: [...retryable].sort() });
    }
  },
);

test.each(entries)(
  '%s: every DynamoDB step retries throttling by the names Step Functions reports',
  (_id, definition) => {
    // Step Functions names DynamoDB errors after the AWS SDK for Java classes
    // (RequestLimitExceeded → DynamoDB.RequestLimitExceededException), as the local runner does.
    const throttling = [
      'RequestLimitExceeded',
      'ProvisionedThroughputExceededException',
      'ThrottlingException',
    ];
    expect(DYNAMODB_TRANSIENT_ERRORS).toEqual(
      expect.arrayContaining(['DynamoDB.RequestLimitExceededException', 'DynamoDB.RequestLimitExceeded']),
    );
    for (const [name, state] of allStates(definition)) {
      if (state.Type !== 'Task' || !String(state.Resource).includes(':states:::dynamodb:')) continue;
      const retried = (state.Retry as { ErrorEquals: string[] }[]).flatMap((rule) => rule.ErrorEquals);
      expect({ name, retried }).toEqual({
        name,
        retried: expect.arrayContaining(throttling.map(localDynamoDbErrorName)) as unknown,
      });
    }
  },
);

test.each(workflows)(
  '%s: every step that can fail is caught into the recorded-failure path',
  (_id, definition) => {
    // The recording steps are the failure path; inside the audit's map a failed shard is counted, not fatal.
    const exempt = new Set([
      'Record the run',
      'Announce the result',
      'Audit the accounts in the shard',
      'Start securing the account',
      'Add the shard to the totals',
      'Count the failed shard',
      'Secure each account found',
      // Inside the map that starts the shards: a failed start fails the map, which is caught.
      'Start auditing the shard',
      // Inside a remediation wave: a failure is the account's FAILED run, the wave goes on;
      // a failed recording fails the wave's map, which is caught.
      'Check the planned account is eligible',
      'Remediate the planned account',
      'Record the planned account posture',
      'Record the planned account run',
      'Announce the planned account result',
      'Mark the planned account outcome',
    ]);
    for (const [name, state] of allStates(definition)) {
      if ((state.Type !== 'Task' && state.Type !== 'Map') || exempt.has(name)) continue;
      const caught = ((state.Catch ?? []) as { ErrorEquals: string[]; Next: string }[]).map((rule) =>
        rule.ErrorEquals.join(),
      );
      expect({ name, caught }).toEqual({
        name,
        caught: expect.arrayContaining([
          'InvalidInputError',
          'TargetNotEligibleError',
          'States.ALL',
        ]) as unknown,
      });
    }
  },
);

test.each(workflows)(
  '%s ends every run by recording it, announcing it and either succeeding or failing',
  (_id, definition) => {
    const states = definition.States;
    expect(states['Record the run']?.Next).toBe('Announce the result');
    expect(states['Announce the result']?.Next).toBe('Did the run fail?');
    expect(states['Announce the result']?.Resource).toBe('arn:aws:states:::events:putEvents');
    expect(states['Stop with the failure']).toMatchObject({ Type: 'Fail', ErrorPath: '$.result.error' });
    expect(states['Note the failure']).toBeDefined();
    expect(states['Note the rejection']).toBeDefined();
  },
);

test('only the allowed state types and integrations are used', () => {
  const allowedResources = new Set([
    'arn:aws:states:::dynamodb:putItem',
    'arn:aws:states:::dynamodb:updateItem',
    'arn:aws:states:::dynamodb:getItem',
    'arn:aws:states:::events:putEvents',
    // The approval gate's callback: the local runner supports task tokens on this one integration.
    'arn:aws:states:::events:putEvents.waitForTaskToken',
    'arn:aws:states:::states:startExecution',
  ]);
  for (const [, definition] of entries) {
    for (const [name, state] of allStates(definition)) {
      // Parallel: Secure new account claims the request while it checks eligibility (the runner compiles its branches).
      expect(['Task', 'Pass', 'Choice', 'Map', 'Wait', 'Succeed', 'Fail', 'Parallel']).toContain(state.Type);
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        expect({
          name,
          ok: resource.startsWith('arn:aws:lambda:') || allowedResources.has(resource),
        }).toEqual({ name, ok: true });
      }
      if (state.Type === 'Map') {
        expect(state).not.toHaveProperty('ItemReader');
        expect(state).not.toHaveProperty('ItemBatcher');
        expect(state).not.toHaveProperty('ResultWriter');
        expect(state).not.toHaveProperty('ToleratedFailurePercentage');
        expect(state).not.toHaveProperty('ToleratedFailureCount');
      }
    }
  }
});

describe('Audit organization', () => {
  const audit = byName('AuditOrganizationWorkflow');
  const shard = definitions[entries.find(([id]) => id.startsWith('WorkflowsAuditOrganizationShard'))![0]]!;

  test('starts each new shard as its own execution, named after the audit and the shard', () => {
    const map = audit.States['Start the new shards']!;
    expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.listing.newShards', ResultPath: null });
    expect(map).not.toHaveProperty('ItemProcessor.ProcessorConfig.Mode', 'DISTRIBUTED');
    const inner = (map.ItemProcessor as Definition).States;
    expect(inner['Start auditing the shard']).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: { 'Name.$': "States.Format('{}-shard-{}', $.auditId, $.shardId)" },
    });
    expect(audit.States['Note the request']?.Parameters).toMatchObject({
      'auditId.$': "States.Hash($.run.executionArn, 'MD5')",
    });
  });

  test('keeps the listing cursor in the state: a retried chunk starts from the last token', () => {
    expect(audit.States['List a chunk of accounts']).toMatchObject({
      Parameters: { 'cursor.$': '$.listing.cursor' },
      ResultPath: '$.listing',
    });
  });

  test('counts each shard once, with a conditional update of the summary', () => {
    for (const name of ['Add the shard to the totals', 'Count the failed shard']) {
      expect(shard.States[name]).toMatchObject({
        Parameters: {
          ConditionExpression:
            'attribute_exists(PK) AND NOT contains(countedShards, :shardId) AND attribute_not_exists(countingClosedBy)',
        },
      });
    }
  });

  test('logs the shard executions at ERROR, every other workflow at ALL with execution data', () => {
    const levels = Object.fromEntries(
      Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::StepFunctions::StateMachine')
        .map(([id, resource]) => [
          id.startsWith('WorkflowsAuditOrganizationShard') ? 'shard' : id,
          resource.Properties?.LoggingConfiguration as { Level: string; IncludeExecutionData: boolean },
        ]),
    );
    expect(levels.shard).toMatchObject({ Level: 'ERROR', IncludeExecutionData: true });
    const others = Object.entries(levels).filter(([id]) => id !== 'shard');
    expect(others).toHaveLength(7);
    for (const [, logging] of others)
      expect(logging).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
  });

  test('starts Secure new account with a name derived from the account and the audit', () => {
    const inner = (shard.States['Secure each account found']?.ItemProcessor as Definition).States;
    expect(inner['Start securing the account']).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: {
        'Name.$': "States.Format('audit-{}-{}', $.accountId, States.Hash($.executionId, 'MD5'))",
      },
    });
  });
});

describe('Secure new account', () => {
  const secure = byName('SecureNewAccount');

  /** The logical ids of the functions that open root sessions (those with a root task). */
  const rootSessionFunctions = Object.entries(rootkeeperResourceIds(stack).functions)
    .filter(([, key]) => (FUNCTION_CATALOG[key] as FunctionSpec).rootTask !== undefined)
    .map(([logicalId]) => logicalId);
  const opensRootSession = (state: unknown): boolean =>
    rootSessionFunctions.some((logicalId) => JSON.stringify(state).includes(logicalId));

  /** The states reachable from `from` (Next, Choices, Default, Catch) without passing through `barrier`. */
  function reachable(definition: Definition, from: string, barrier?: string): Set<string> {
    const seen = new Set<string>();
    const pending = [from];
    while (pending.length > 0) {
      const name = pending.pop() ?? '';
      if (seen.has(name) || name === barrier) continue;
      seen.add(name);
      const state = definition.States[name] as
        | { Next?: string; Default?: string; Choices?: { Next: string }[]; Catch?: { Next: string }[] }
        | undefined;
      for (const next of [
        state?.Next,
        state?.Default,
        ...(state?.Choices ?? []).map((choice) => choice.Next),
        ...(state?.Catch ?? []).map((handler) => handler.Next),
      ]) {
        if (next !== undefined) pending.push(next);
      }
    }
    return seen;
  }

  const CLAIM_AND_CHECK = 'Claim the request and check the account';

  test('claims the request before any root session: no path from the start reaches one without the claim', () => {
    const sessions = Object.entries(secure.States)
      .filter(([, state]) => opensRootSession(state))
      .map(([name]) => name);
    expect(sessions.sort()).toEqual(['Audit the root user', 'Delete the root credentials']);
    // The claim runs in a Parallel beside the eligibility check: nothing after it runs unless both succeed.
    const beforeClaim = reachable(secure, secure.StartAt, CLAIM_AND_CHECK);
    expect(sessions.filter((name) => beforeClaim.has(name))).toEqual([]);
    const both = secure.States[CLAIM_AND_CHECK] as unknown as {
      Type: string;
      Branches: { StartAt: string; States: Record<string, Record<string, unknown>> }[];
    };
    expect(both.Type).toBe('Parallel');
    expect(both.Branches.map((branch) => branch.StartAt)).toEqual([
      'Claim the request',
      'Check the account is eligible',
    ]);
    // The claim is conditional: a second claim of the same request fails (or this execution's own retry passes).
    expect(both.Branches[0]?.States['Claim the request']).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { ConditionExpression: 'attribute_not_exists(PK) OR executionArn = :executionArn' },
    });
  });

  test('a duplicate claim is recorded as SKIPPED DUPLICATE_REQUEST, without any root session', () => {
    const catches = secure.States[CLAIM_AND_CHECK]?.Catch as { ErrorEquals: string[]; Next: string }[];
    const duplicate = catches.find((handler) =>
      handler.ErrorEquals.includes('DynamoDB.ConditionalCheckFailedException'),
    );
    expect(duplicate).toMatchObject({ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'] });
    const after = reachable(secure, duplicate?.Next ?? '');
    expect([...after].filter((name) => opensRootSession(secure.States[name]))).toEqual([]);
    expect(after.has('Record the run')).toBe(true);
    expect(JSON.stringify(secure.States[duplicate?.Next ?? ''])).toMatch(/SKIPPED.*DUPLICATE_REQUEST/);
  });

  test('an ineligible account goes to the record without any root session', () => {
    const choice = secure.States['Is the account eligible?'] as unknown as {
      Choices: { Next: string }[];
      Default: string;
    };
    expect(choice.Choices[0]?.Next).toBe('Audit the root user');
    expect(choice.Default).toBe('Note an ineligible account');
    expect(secure.States['Note an ineligible account']?.Next).toBe('Record the run');
  });
});

test('rootkeeperResourceIds maps every function and state machine to its logical id', () => {
  const ids = rootkeeperResourceIds(stack);
  expect(Object.values(ids.functions).sort()).toEqual(Object.keys(FUNCTION_CATALOG).sort());
  for (const { logicalId } of Object.values(ids.stateMachines)) expect(definitions[logicalId]).toBeDefined();
  expect(template.Resources[ids.resultsTable]?.Type).toBe('AWS::DynamoDB::Table');
});
