import { createHash } from 'node:crypto';
import { StateMachine, templatePieces, unescapeLiteral } from '../../../local/step-functions/library';

/**
 * The intrinsic functions as Step Functions evaluates them: escapes belong
 * to the string literals of the expression, never to the values. (The
 * library alone strips every backslash from every string result.)
 */
async function evaluate(
  parameters: Record<string, unknown>,
  input: unknown,
): Promise<Record<string, unknown>> {
  const machine = new StateMachine(
    { StartAt: 'E', States: { E: { Type: 'Pass', Parameters: parameters, End: true } } } as never,
    { validationOptions: { noValidate: true } },
  );
  return (await machine.run(input as never).result) as Record<string, unknown>;
}

const POLICY = '{"Version":"2012-10-17","Statement":[{"Sid":"a \\"b\\" \\\\ c","Effect":"Deny"}]}';

describe('intrinsic functions on the local runner', () => {
  it('States.JsonToString escapes quotes and backslashes of string values (valid JSON)', async () => {
    const input = { current: { policy: POLICY, policySha256: null, n: 1 } };
    const result = await evaluate({ 'text.$': 'States.JsonToString($.current)' }, input);
    expect(result.text).toBe(JSON.stringify(input.current));
    expect((JSON.parse(result.text as string) as { policy: string }).policy).toBe(POLICY);
  });

  it('a nested States.JsonToString keeps its escapes', async () => {
    const result = await evaluate(
      { 'text.$': 'States.JsonToString(States.Array($.policy, States.JsonToString($.policy)))' },
      { policy: POLICY },
    );
    expect(JSON.parse(result.text as string)).toEqual([POLICY, JSON.stringify(POLICY)]);
  });

  it('States.Format undoes the escapes of its template, not of its values', async () => {
    const result = await evaluate(
      { 'text.$': "States.Format('it\\'s \\{\\} {} and {}', $.a, $.b)" },
      { a: 'x\\y', b: '"q"' },
    );
    expect(result.text).toBe('it\'s {} x\\y and "q"');
  });

  it('States.Format refuses a placeholder count that does not match', async () => {
    await expect(evaluate({ 'text.$': "States.Format('{} {}', $.a)" }, { a: 'x' })).rejects.toThrow(
      /do not match the occurrences of \{\}/,
    );
  });

  it('string literal arguments are unescaped', async () => {
    const result = await evaluate({ 'parts.$': "States.StringSplit('a\\,b,c', ',')" }, {});
    expect(result.parts).toEqual(['a', 'b', 'c']);
    expect(unescapeLiteral("a\\'b\\\\c")).toBe("a'b\\c");
    expect(templatePieces('a{}b\\{\\}c', true)).toEqual(['a', 'b{}c']);
  });

  it('States.Hash gives the real digest of inputs longer than one block (execution ARNs)', async () => {
    const arn = (name: string) =>
      `arn:aws:states:us-east-1:111111111111:execution:WorkflowsAuditOrganizationWorkflowStateMachine65C3EDE4:${name}`;
    for (const algorithm of ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
      const node = algorithm.replace('-', '').toLowerCase();
      for (const text of ['short', arn('first-audit'), arn('second-audit'), 'é'.repeat(300)]) {
        const result = await evaluate({ 'digest.$': `States.Hash($.text, '${algorithm}')` }, { text });
        expect(result.digest).toBe(createHash(node).update(text, 'utf8').digest('hex'));
      }
    }
  });

  it('States.Hash keeps the checks of Step Functions: algorithm name and length', async () => {
    await expect(evaluate({ 'digest.$': "States.Hash($.text, 'MD4')" }, { text: 'x' })).rejects.toThrow(
      /Unsupported hash algorithm 'MD4'/,
    );
    await expect(
      evaluate({ 'digest.$': "States.Hash($.text, 'MD5')" }, { text: 'x'.repeat(10_001) }),
    ).rejects.toThrow(/more than 10,000 characters/);
  });
});
