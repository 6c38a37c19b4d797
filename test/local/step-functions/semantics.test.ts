import { LocalStepFunctions } from '../../../local/step-functions';
import { readTemplate, type LocalTemplate } from '../../../local/template';
import { ACCOUNT, REGION } from './harness';
import { synthesizeTestStack, TEST_CATALOG } from './test-stack';

/** Runner semantics on small hand-written definitions over the test stack's functions. */
describe('runner semantics that must match AWS', () => {
  const base = readTemplate(synthesizeTestStack(), {
    catalog: TEST_CATALOG,
    region: REGION,
    accountId: ACCOUNT,
  });
  const fn = (id: string) => {
    const found = base.functions.find((f) => f.spec?.id === id);
    if (found === undefined) throw new Error(`no function ${id}`);
    return found;
  };
  const runners: LocalStepFunctions[] = [];

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.dispose()));
  });

  async function run(definition: unknown, input: unknown, template: LocalTemplate = base) {
    const [first] = template.stateMachines;
    if (first === undefined) throw new Error('no state machine');
    const runner = new LocalStepFunctions({
      template: { ...template, stateMachines: [{ ...first, definitionString: JSON.stringify(definition) }] },
      applyEnvironment: false,
      retryDelayMs: 1,
    });
    runners.push(runner);
    return runner.runExecution(first.arn, { input: input as never });
  }

  it('never lets States.TaskFailed catch a Distributed Map failure', async () => {
    const definition = {
      StartAt: 'Map',
      States: {
        Map: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Boom',
            States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'item failed' } },
          },
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'Task failed' },
            { ErrorEquals: ['States.ALL'], Next: 'Anything' },
          ],
          End: true,
        },
        'Task failed': { Type: 'Pass', Result: 'TaskFailed', End: true },
        Anything: { Type: 'Pass', Result: 'ALL', End: true },
      },
    };
    const record = await run(definition, [1, 2]);
    expect(record.output).toBe('"ALL"');
    expect(record.history.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'MapStateEntered',
        'MapRunStarted',
        'MapRunFailed',
        'MapStateFailed',
        'PassStateEntered',
      ]),
    );
  });

  it("enforces the function's own timeout as Lambda does (Sandbox.Timedout)", async () => {
    const item = fn('Item');
    const template = {
      ...base,
      functions: base.functions.map((f) => (f === item ? { ...f, timeoutSeconds: 0.005 } : f)),
    };
    const definition = { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: item.arn, End: true } } };
    const record = await run(definition, { value: 1 }, template);
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('Sandbox.Timedout');
    expect(JSON.parse(record.cause ?? '{}')).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringContaining('Task timed out after 0.01 seconds') as unknown,
    });
  });

  it('fails a Lambda payload over 256 KB with States.DataLimitExceeded, which States.ALL cannot catch', async () => {
    const definition = {
      StartAt: 'Big',
      States: {
        Big: { Type: 'Pass', Parameters: { 'a.$': '$.text', 'b.$': '$.text' }, Next: 'Echo' },
        Echo: {
          Type: 'Task',
          Resource: fn('Echo').arn,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const record = await run(definition, { text: 'x'.repeat(150 * 1024) });
    expect(record.status).toBe('FAILED');
    expect(record.error).toBe('States.DataLimitExceeded');
  });

  it('fails an execution whose history reaches 25,000 events, as AWS does', async () => {
    const definition = {
      StartAt: 'Go round',
      States: {
        'Go round': { Type: 'Pass', Next: 'Again?' },
        'Again?': {
          Type: 'Choice',
          Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }],
          Default: 'Go round',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const record = await run(definition, {});
    expect(record).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(record.history.length).toBeGreaterThanOrEqual(25_000);
    expect(record.history[record.history.length - 1]?.type).toBe('ExecutionFailed');
  });
});
