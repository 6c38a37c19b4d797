import { Template } from 'aws-cdk-lib/assertions';
import { buildRootkeeperApp } from '../../lib/build-app';
import { parseConfig } from '../../lib/config';
import { guardrailPoliciesFor } from '../../lib/guardrails/guardrail-set';
import { policyProblems } from '../../lib/guardrails/validate-policy';

const SERVICE = '111122223333';
const MANAGEMENT = '444455556666';
const env = { account: SERVICE, region: 'eu-west-1' };

describe('the optional guardrails stack', () => {
  it('is off by default: no stack, no AWS::Organizations::Policy anywhere', () => {
    const { app, guardrails } = buildRootkeeperApp({ env });
    expect(guardrails).toBeUndefined();
    for (const stack of app.synth().stacks) {
      expect(JSON.stringify(stack.template)).not.toContain('AWS::Organizations::Policy');
    }
  });

  it('deploys each configured guardrail as an SCP with its targets, the documents as printed', async () => {
    const { guardrails, stack } = buildRootkeeperApp({
      env,
      config: {
        guardrails: {
          'rootkeeper-deny-long-term-root': ['r-ab12'],
          'rootkeeper-only-rootkeeper-assumes-root': [SERVICE, 'ou-ab12-cdef3456'],
        },
      },
    });
    expect(guardrails?.account).toBe(SERVICE); // management mode: the service's own account
    const template = Template.fromStack(guardrails!);
    template.resourceCountIs('AWS::Organizations::Policy', 2);
    const [denyRoot, onlyRootkeeper] = guardrailPoliciesFor(stack.stackName, SERVICE);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'rootkeeper-deny-long-term-root',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['r-ab12'],
      Content: denyRoot!.document,
    });
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Name: 'rootkeeper-only-rootkeeper-assumes-root',
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: [SERVICE, 'ou-ab12-cdef3456'],
      Content: onlyRootkeeper!.document,
    });
    expect(JSON.stringify(onlyRootkeeper!.document)).toContain(
      `arn:aws:iam::${SERVICE}:role/Rootkeeper-FunctionsDeleteRootCredentials*`,
    );
    for (const { document } of [denyRoot!, onlyRootkeeper!])
      expect(await policyProblems(document)).toEqual([]);
  });

  it('deploys only the guardrails named, into the management account in delegated-admin mode', () => {
    const { guardrails } = buildRootkeeperApp({
      env,
      config: {
        deployment: 'delegated-admin',
        managementAccountId: MANAGEMENT,
        guardrails: { 'rootkeeper-deny-long-term-root': ['r-ab12'] },
      },
    });
    expect(guardrails?.account).toBe(MANAGEMENT);
    const template = Template.fromStack(guardrails!);
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    template.hasResourceProperties('AWS::Organizations::Policy', { Name: 'rootkeeper-deny-long-term-root' });
  });

  it.each([
    [{ guardrails: ['r-ab12'] }, 'rootkeeper.guardrails: must be an object'],
    [{ guardrails: { 'deny-all': ['r-ab12'] } }, 'rootkeeper.guardrails.deny-all: is not a guardrail'],
    [{ guardrails: { 'rootkeeper-deny-long-term-root': [] } }, 'must be a non-empty list'],
    [
      { guardrails: { 'rootkeeper-deny-long-term-root': ['root'] } },
      '"root" is not a root (r-…), OU (ou-…-…) or account (12 digits) id',
    ],
  ])('refuses %j naming the key', (values, message) => {
    expect(() => parseConfig(values)).toThrow(message);
  });
});
