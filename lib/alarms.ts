import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic';
import {
  DELETE_FUNCTION_WORKFLOW,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  WORKFLOW_DIMENSION,
  WORKFLOW_METRICS,
} from '../lambdas/shared/metrics';

export interface AlarmsProps {
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly deadLetterQueues: readonly sqs.IQueue[];
  readonly notificationEmail?: string;
}

/**
 * Nothing fails silently: an alarm per workflow on failed executions, on
 * messages in the dead-letter queues and on Lambda and Step Functions
 * throttling, all to one encrypted topic (optional e-mail subscription).
 * A root access key in use left in place by a delete (a KEY_IN_USE run)
 * notifies the same topic: someone must find the job that uses it.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new AlarmTopic(this, 'Notifications', {
      ...(props.notificationEmail === undefined ? {} : { notificationEmail: props.notificationEmail }),
    }).topic;
    const action = new actions.SnsAction(this.topic);
    const alarms: cloudwatch.Alarm[] = [];
    const add = (alarmId: string, metric: cloudwatch.IMetric, description: string): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(action);
      alarms.push(alarm);
    };
    const period = Duration.minutes(5);
    for (const [name, stateMachine] of Object.entries(props.stateMachines)) {
      add(
        `${name}Failed`,
        stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }),
        `A ${name} run failed: its FAILED run record says why`,
      );
      add(
        `${name}Throttled`,
        stateMachine.metricThrottled({ period, statistic: cloudwatch.Stats.SUM }),
        `Step Functions throttled ${name}`,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      add(
        `${name}Throttles`,
        fn.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
        `Lambda throttled ${name}`,
      );
    }
    add(
      'KeysInUseKept',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: WORKFLOW_METRICS.keysInUseKept,
        dimensionsMap: { service: METRICS_SERVICE, [WORKFLOW_DIMENSION]: DELETE_FUNCTION_WORKFLOW },
        period,
        statistic: cloudwatch.Stats.SUM,
      }),
      'A root access key used recently was kept, not deleted: `rootkeeper report` lists the KEY_IN_USE accounts; find what uses the key, then `rootkeeper delete-root-credentials --include-keys-in-use`',
    );
    props.deadLetterQueues.forEach((queue, index) => {
      add(
        `DeadLetters${index}`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
        'An event could not start a workflow: read it from the dead-letter queue and start the workflow by hand',
      );
    });
    this.alarms = alarms;
  }
}
