import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  WORKFLOW_DIMENSION,
  WORKFLOW_METRICS,
} from '../lambdas/shared/metrics';

export interface DashboardProps {
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.hours(1);

/**
 * One CloudWatch dashboard: the service's EMF metrics (lambdas/shared/metrics.ts)
 * per workflow, and the state of every alarm. A SEARCH expression per metric
 * draws one line per workflow value found, so a new workflow needs no change here.
 */
export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const perWorkflow = (title: string, metricName: string): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({
        title,
        width: 12,
        height: 6,
        left: [
          new cloudwatch.MathExpression({
            expression: `SEARCH('{${METRICS_NAMESPACE},service,${WORKFLOW_DIMENSION}} service="${METRICS_SERVICE}" MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()})`,
            label: '',
            period: PERIOD,
          }),
        ],
        leftYAxis: { min: 0 },
        statistic: 'Sum',
      });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(14),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown:
              '# Rootkeeper\nRoot credentials audited, found and removed, per workflow (hourly sums), and the alarms. The HTML report (`rootkeeper report --format html`) has the per-account view.',
            width: 24,
            height: 2,
          }),
        ],
        [
          perWorkflow('Accounts audited', WORKFLOW_METRICS.accountsAudited),
          perWorkflow('Accounts with root credentials found', WORKFLOW_METRICS.withCredentials),
        ],
        [
          perWorkflow('Accounts remediated', WORKFLOW_METRICS.remediated),
          perWorkflow('Failures (failed audits and failed invocations)', WORKFLOW_METRICS.failed),
        ],
        [
          perWorkflow('Root sessions opened (sts:AssumeRoot)', WORKFLOW_METRICS.sessionsOpened),
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: 12,
            height: 6,
          }),
        ],
        [perWorkflow('Root access keys in use kept (KEY_IN_USE)', WORKFLOW_METRICS.keysInUseKept)],
      ],
    });
  }
}
