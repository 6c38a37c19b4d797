import { guardrailPolicies } from '../../lib/guardrails/guardrail-set';
import { LOCAL_STACK_NAME, startLocalStack, type LocalStack } from '../../local/local-stack';
import type { ServiceControlPolicyFixture } from '../../sandbox';
import { MANAGEMENT, MEMBER, REGION, organization } from './support/local-organization';
import { cliEnvironment, rootkeeper } from './support/subprocess';

/**
 * `rootkeeper guardrails --check` as a subprocess against the local stack,
 * whose sandbox organization holds the SCPs each case needs: the command
 * reads them with ListPolicies, DescribePolicy and ListTargetsForPolicy.
 */

const [denyLongTermRoot, onlyRootkeeper] = guardrailPolicies(
  LOCAL_STACK_NAME,
  `arn:aws:states:${REGION}:${MANAGEMENT}:stateMachine:any`,
).map((policy) => policy.document);

interface CheckDocument {
  ok: boolean;
  exitCode: number;
  guardrails: {
    name: string;
    attached: boolean;
    policies: { id: string; name: string; targets: { id: string; name: string; type: string }[] }[];
  }[];
  error?: { name: string; message: string };
}

async function withStack(
  policies: ServiceControlPolicyFixture[],
  run: (env: Record<string, string>, stack: LocalStack) => Promise<void>,
): Promise<void> {
  const stack = await startLocalStack({
    sandbox: { organization: { ...organization(true), serviceControlPolicies: policies }, region: REGION },
  });
  try {
    await run(cliEnvironment(stack.env), stack);
  } finally {
    await stack.close();
  }
}

test('attached: names the SCPs carrying each guardrail and where they are attached; exit 0', async () => {
  // The same statements in other words: another Sid, lists reordered, an extra statement beside them.
  const reworded = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'SomethingElse', Effect: 'Deny', Action: 'ec2:*', Resource: '*' },
      ...denyLongTermRoot!.Statement.map((statement) => ({ ...statement, Sid: 'OurOwnName' })),
    ],
  };
  await withStack(
    [
      { id: 'p-denyroot01', name: 'no-long-term-root', content: reworded, targets: ['root'] },
      { id: 'p-assumeroot', name: 'assume-root-callers', content: { ...onlyRootkeeper }, targets: [MEMBER] },
    ],
    async (env, stack) => {
      const json = await rootkeeper(['guardrails', '--check', '--output', 'json'], env);
      expect(json.code).toBe(0);
      const document = json.json<CheckDocument>();
      const rootId = stack.sandbox.state.organization().rootId;
      expect(document).toMatchObject({ ok: true, exitCode: 0 });
      expect(document.guardrails).toEqual([
        {
          name: 'rootkeeper-deny-long-term-root',
          attached: true,
          policies: [
            expect.objectContaining({
              id: 'p-denyroot01',
              name: 'no-long-term-root',
              targets: [{ id: rootId, name: 'Root', type: 'ROOT' }],
            }),
          ],
        },
        {
          name: 'rootkeeper-only-rootkeeper-assumes-root',
          attached: true,
          policies: [
            expect.objectContaining({
              id: 'p-assumeroot',
              targets: [{ id: MEMBER, name: 'payments', type: 'ACCOUNT' }],
            }),
          ],
        },
      ]);
      const human = await rootkeeper(['guardrails', '--check'], env);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('✔ attached  rootkeeper-deny-long-term-root');
      expect(human.stdout).toContain(`SCP no-long-term-root p-denyroot01: root ${rootId} (Root)`);
      expect(human.stdout).toContain(`SCP assume-root-callers p-assumeroot: account ${MEMBER} (payments)`);
    },
  );
}, 180_000);

test('not attached: an SCP attached nowhere, a near miss, none at all; exit 1', async () => {
  const withoutRootSessionCondition = {
    Version: '2012-10-17',
    Statement: denyLongTermRoot!.Statement.map((statement) => ({
      ...statement,
      Condition: { ArnLike: statement.Condition?.ArnLike ?? {} },
    })),
  };
  await withStack(
    [
      { id: 'p-denyroot01', name: 'no-long-term-root', content: { ...denyLongTermRoot }, targets: [] },
      { id: 'p-nearmiss1', name: 'near-miss', content: withoutRootSessionCondition, targets: ['root'] },
    ],
    async (env) => {
      const json = await rootkeeper(['guardrails', '--check', '--output', 'json'], env);
      expect(json.code).toBe(1);
      const document = json.json<CheckDocument>();
      expect(document).toMatchObject({
        ok: false,
        exitCode: 1,
        error: {
          name: 'GuardrailNotAttached',
          message:
            'not attached anywhere: rootkeeper-deny-long-term-root, rootkeeper-only-rootkeeper-assumes-root',
        },
      });
      expect(document.guardrails).toEqual([
        {
          name: 'rootkeeper-deny-long-term-root',
          attached: false,
          policies: [expect.objectContaining({ id: 'p-denyroot01', targets: [] })],
        },
        { name: 'rootkeeper-only-rootkeeper-assumes-root', attached: false, policies: [] },
      ]);
      const human = await rootkeeper(['guardrails', '--check'], env);
      expect(human.code).toBe(1);
      expect(human.stdout).toContain('✘ not attached  rootkeeper-deny-long-term-root');
      expect(human.stdout).toContain('SCP no-long-term-root p-denyroot01: attached nowhere');
      expect(human.stdout).toContain('no SCP carries its statements');
      expect(human.stdout).not.toContain('near-miss');
    },
  );
}, 180_000);
