import { LocalStepFunctions, UnsupportedDefinitionError } from '../../../local/step-functions';
import { readTemplate, type LocalTemplate } from '../../../local/template';
import { ACCOUNT, REGION } from './harness';
import { synthesizeTestStack, TEST_CATALOG } from './test-stack';

const read = (template: ReturnType<typeof synthesizeTestStack>) =>
  readTemplate(template, { catalog: TEST_CATALOG, region: REGION, accountId: ACCOUNT });

function withDefinition(base: LocalTemplate, definition: unknown): LocalTemplate {
  const [first] = base.stateMachines;
  if (first === undefined) throw new Error('no state machine');
  return { ...base, stateMachines: [{ ...first, definitionString: JSON.stringify(definition) }] };
}

describe('loading synthesized templates', () => {
  const base = read(synthesizeTestStack());
  const load = (template: LocalTemplate) =>
    new LocalStepFunctions({
      template,
      dynamodb: { endpoint: 'http://127.0.0.1:9' },
      applyEnvironment: false,
    });

  it('resolves tokens to local names and finds each function in the catalog', () => {
    const pipeline = base.stateMachines.find((m) => m.logicalId.startsWith('Pipeline'));
    expect(pipeline?.arn).toMatch(/^arn:aws:states:eu-west-1:123456789012:stateMachine:Pipeline[0-9A-F]{8}$/);
    expect(pipeline?.definitionString).toContain(
      '"EventBusName":"arn:aws:events:eu-west-1:123456789012:event-bus/rootkeeper-test"',
    );
    expect(pipeline?.definitionString).not.toMatch(/Fn::|"Ref"/);
    expect(base.functions.map((fn) => fn.spec?.id).sort()).toEqual(['Echo', 'Flaky', 'Item']);
    const echo = base.functions.find((fn) => fn.spec?.id === 'Echo');
    expect(echo).toMatchObject({
      timeoutSeconds: 10,
      arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${echo?.name}`,
    });
    expect(echo?.environment.RESULTS_TABLE_NAME).toBe(base.tables[0]?.name);
  });

  it('finds catalog entries without path metadata too', () => {
    const template = read(synthesizeTestStack({ pathMetadata: false }));
    expect(template.functions.map((fn) => fn.spec?.id).sort()).toEqual(['Echo', 'Flaky', 'Item']);
  });

  it('refuses an integration it does not implement, at load time', () => {
    const template = read(synthesizeTestStack({ unsupported: 'sqs' }));
    expect(() => load(template)).toThrow(/arn:aws:states:::sqs:sendMessage is not supported locally/);
  });

  it('refuses a Distributed Map with an ItemReader instead of ignoring it', () => {
    const template = read(synthesizeTestStack({ unsupported: 'itemReader' }));
    expect(() => load(template)).toThrow(/ItemReader is not supported locally/);
  });

  it.each([
    [
      'JSONata',
      { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
      /only JSONPath/,
    ],
    [
      'variables',
      { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: 1 }, End: true } } },
      /field Assign/,
    ],
    [
      'a .sync integration',
      {
        StartAt: 'A',
        States: { A: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', End: true } },
      },
      /not supported locally/,
    ],
    [
      'tolerated failures',
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ToleratedFailurePercentage: 5,
            ItemProcessor: {
              ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
              StartAt: 'P',
              States: { P: { Type: 'Pass', End: true } },
            },
            End: true,
          },
        },
      },
      /ToleratedFailurePercentage is not supported locally/,
    ],
    [
      'per-state context other than the state name',
      {
        StartAt: 'A',
        States: { A: { Type: 'Pass', Parameters: { 'n.$': '$$.State.RetryCount' }, End: true } },
      },
      /\$\$\.State\.RetryCount in Parameters is not supported locally/,
    ],
  ])('refuses %s', (_what, definition, message) => {
    expect(() => load(withDefinition(base, definition))).toThrow(UnsupportedDefinitionError);
    expect(() => load(withDefinition(base, definition))).toThrow(message);
  });

  it('gives $$.State.Name and $$.State.EnteredTime their values', async () => {
    const before = new Date().toISOString();
    const definition = {
      StartAt: 'Name the state',
      States: {
        'Name the state': {
          Type: 'Pass',
          Parameters: { 'state.$': '$$.State.Name', 'at.$': "States.Format('at {}', $$.State.EnteredTime)" },
          End: true,
        },
      },
    };
    const runner = load(withDefinition(base, definition));
    const [machine] = runner.template.stateMachines;
    const record = await runner.runExecution(machine?.arn ?? '');
    const output = JSON.parse(record.output ?? '{}') as { state: string; at: string };
    expect(output.state).toBe('Name the state');
    expect(output.at.slice(3) >= before && output.at.slice(3) <= new Date().toISOString()).toBe(true);
    await runner.dispose();
  });

  it('refuses functions that disagree on an environment variable', () => {
    const [first, second, ...rest] = base.functions;
    if (first === undefined || second === undefined) throw new Error('functions expected');
    const template: LocalTemplate = {
      ...base,
      functions: [
        first,
        { ...second, environment: { ...second.environment, RESULTS_TABLE_NAME: 'other' } },
        ...rest,
      ],
    };
    expect(() => new LocalStepFunctions({ template, dynamodb: { endpoint: 'http://127.0.0.1:9' } })).toThrow(
      /disagree on RESULTS_TABLE_NAME/,
    );
  });

  it('needs a local DynamoDB when a workflow writes to DynamoDB', () => {
    expect(() => new LocalStepFunctions({ template: base, applyEnvironment: false })).toThrow(/dynamodb/);
  });
});
