import { buildRootkeeperApp } from '../../lib/build-app';
import { WORKFLOW_METRICS } from '../../lambdas/shared/metrics';
import { templateOf, type Template } from './support/template';

const { app, stack } = buildRootkeeperApp({ env: { account: '111111111111', region: 'us-east-1' } });
const template: Template = templateOf(app, stack);

/** The dashboard body as CloudWatch receives it, with the alarm ARNs' tokens left as {Fn::GetAtt} markers. */
function dashboardBody(): string {
  const dashboards = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::CloudWatch::Dashboard',
  );
  expect(dashboards).toHaveLength(1);
  const body = (dashboards[0]?.Properties as { DashboardBody: unknown }).DashboardBody;
  return JSON.stringify(body);
}

test('the dashboard graphs every EMF metric of the functions, per workflow', () => {
  const body = dashboardBody();
  for (const name of Object.values(WORKFLOW_METRICS)) {
    expect(body).toContain(
      `SEARCH('{Rootkeeper,service,workflow} service=\\\\\\"rootkeeper\\\\\\" MetricName=\\\\\\"${name}\\\\\\"', 'Sum', 3600)`,
    );
  }
});

test('the dashboard shows the state of every alarm of the stack', () => {
  const body = dashboardBody();
  const alarms = Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm')
    .map(([logicalId]) => logicalId);
  expect(alarms.length).toBeGreaterThan(0);
  for (const alarm of alarms) expect(body).toContain(`"${alarm}","Arn"`);
});
