import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic';
import { DeadLetterQueue } from './dead-letter-queue';
import {
  CONTROL_TOWER_ACCOUNT_CREATED,
  ORGANIZATIONS_ACCOUNT_CREATED,
  SERVICE_EVENT_BUS_NAME,
} from './event-patterns';
import { TARGET_RETRY } from './triggers';

export interface EventForwarderStackProps extends StackProps {
  /** Region of the service stack, where its event bus is. */
  readonly serviceRegion: string;
  /** Subscribed to this stack's own alarm topic (alarms notify topics of their region only). */
  readonly notificationEmail?: string;
}

/**
 * Organizations records its events in us-east-1 only. When the service lives
 * in another region, this small us-east-1 stack forwards the new-account
 * events (and Control Tower's, for a us-east-1 home region) to the service's
 * bus, so that no new account is missed whatever region the service is in.
 */
export class EventForwarderStack extends Stack {
  constructor(scope: Construct, id: string, props: EventForwarderStackProps) {
    super(scope, id, props);
    // Built from the fixed bus name: a cross-region reference needs no export.
    const serviceBus = events.EventBus.fromEventBusArn(
      this,
      'ServiceBus',
      Stack.of(this).formatArn({
        service: 'events',
        region: props.serviceRegion,
        resource: 'event-bus',
        resourceName: SERVICE_EVENT_BUS_NAME,
      }),
    );
    const deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters').queue;
    const topic = new AlarmTopic(this, 'Notifications', {
      ...(props.notificationEmail === undefined ? {} : { notificationEmail: props.notificationEmail }),
    }).topic;
    new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `A new-account event could not be forwarded to ${props.serviceRegion}: read it from the dead-letter queue and start Secure new account by hand`,
    }).addAlarmAction(new actions.SnsAction(topic));
    for (const [id, accountEvent] of [
      ['ForwardOrganizationsAccountCreated', ORGANIZATIONS_ACCOUNT_CREATED],
      ['ForwardControlTowerAccountCreated', CONTROL_TOWER_ACCOUNT_CREATED],
    ] as const) {
      const rule = new events.Rule(this, id, {
        description: `Forward ${accountEvent.source} new-account events to Rootkeeper in ${props.serviceRegion}`,
        eventPattern: accountEvent.pattern,
        targets: [new targets.EventBus(serviceBus, { deadLetterQueue })],
      });
      // The EventBus target has no retry options in CDK; set the same policy as the service's targets.
      (rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.RetryPolicy', {
        MaximumEventAgeInSeconds: TARGET_RETRY.maxEventAge.toSeconds(),
        MaximumRetryAttempts: TARGET_RETRY.retryAttempts,
      });
    }
  }
}
