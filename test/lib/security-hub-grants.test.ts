import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildRootkeeperApp } from '../../lib/build-app';
import type { RootkeeperConfig } from '../../lib/config';
import {
  asArray,
  logicalIdOfRef,
  policyStatements,
  resolveIntrinsics,
  type Template,
} from './support/template';

/** Option securityHubFindings: AuditAccountBatch's variables and grants, only when it is on. */

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

function synthesize(config: Partial<RootkeeperConfig>) {
  const { app, stack } = buildRootkeeperApp({ env: { account: ACCOUNT, region: REGION }, config });
  const template = app.synth().getStackByName(stack.stackName).template as Template;
  const [[auditBatchId, auditBatch] = []] = Object.entries(template.Resources).filter(
    ([logicalId, resource]) =>
      resource.Type === 'AWS::Lambda::Function' && logicalId.startsWith('FunctionsAuditAccountBatchFunction'),
  );
  if (auditBatch === undefined) throw new Error(`no AuditAccountBatch function in ${auditBatchId}`);
  const role = logicalIdOfRef(auditBatch.Properties?.Role);
  const securityHubStatements = policyStatements(template)
    .filter(({ statement }) =>
      asArray(statement.Action as string | string[]).some((action) => action.startsWith('securityhub:')),
    )
    .map(({ logicalId, statement }) => ({
      roles: asArray(template.Resources[logicalId]?.Properties?.Roles).map(logicalIdOfRef),
      statement: resolveIntrinsics(statement, template),
    }));
  const variables = (auditBatch.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
  return { stack, template, role, securityHubStatements, variables };
}

test('off by default: no securityhub statement anywhere and no variable', () => {
  const { securityHubStatements, variables, template } = synthesize({});
  expect(securityHubStatements).toEqual([]);
  expect(variables).not.toHaveProperty('SECURITY_HUB_FINDINGS');
  expect(variables).not.toHaveProperty('SECURITY_HUB_ACCOUNT_ID');
  expect(JSON.stringify(template)).not.toContain('securityhub');
});

describe('on', () => {
  const synthesized = synthesize({ securityHubFindings: true });

  test('AuditAccountBatch may import into its default product and update findings of its hub, nothing else', () => {
    const { securityHubStatements, role } = synthesized;
    expect(securityHubStatements).toEqual([
      {
        roles: [role],
        statement: {
          Sid: 'ImportRootPostureFindings',
          Effect: 'Allow',
          Action: 'securityhub:BatchImportFindings',
          Resource: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
        },
      },
      {
        roles: [role],
        statement: {
          Sid: 'ResolveRootPostureFindings',
          Effect: 'Allow',
          Action: 'securityhub:BatchUpdateFindings',
          Resource: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`,
        },
      },
    ]);
  });

  test('the function is told to publish, and under which account', () => {
    expect(synthesized.variables).toMatchObject({
      SECURITY_HUB_FINDINGS: 'true',
      SECURITY_HUB_ACCOUNT_ID: ACCOUNT,
    });
  });

  test.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ])('%s finds nothing that is not acknowledged', (_name, pack) => {
    const report = pack().validateScope(synthesized.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});
