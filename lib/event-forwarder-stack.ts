import { CfnParameter, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic';
import { DeadLetterQueue } from './dead-letter-queue';
import { type AccountEventSpec, SERVICE_EVENT_BUS_NAME } from './event-patterns';
import { forwarderRoleName } from './forwarding';
import { TARGET_RETRY } from './triggers';
import { ACCOUNT_ID_PATTERN, isAccountId } from '../lambdas/root-access/id-patterns';

export interface EventForwarderStackProps extends StackProps {
  /** Region of the service stack, where its event bus is. */
  readonly serviceRegion: string;
  /**
   * Account of the service stack. Undefined: this stack's own account
   * (management mode); an unresolved token: asked for as the
   * `RootkeeperAccountId` parameter at deploy time.
   */
  readonly serviceAccount?: string;
  /** The events born in this stack's region that the service needs. */
  readonly events: readonly AccountEventSpec[];
  /** Subscribed to this stack's own alarm topic (alarms notify topics of their region only). */
  readonly notificationEmail?: string;
}

/**
 * New-account events are born on the management account's default bus:
 * Organizations' in us-east-1, Control Tower's in its home region. This
 * small stack, deployed there, forwards them to the service's `rootkeeper`
 * bus (another region, and in delegated-admin mode another account) through
 * a role of fixed name that the bus policy names (EventBridge recommends a
 * role whenever the target is a bus; a cross-account bus also needs the
 * receiving bus's resource policy to allow it).
 */
export class EventForwarderStack extends Stack {
  constructor(scope: Construct, id: string, props: EventForwarderStackProps) {
    super(scope, id, props);
    const serviceAccount =
      props.serviceAccount === undefined
        ? Stack.of(this).account
        : isAccountId(props.serviceAccount)
          ? props.serviceAccount
          : new CfnParameter(this, 'RootkeeperAccountId', {
              type: 'String',
              allowedPattern: ACCOUNT_ID_PATTERN.source,
              description:
                'The account hosting the Rootkeeper service stack (the IAM delegated administrator), unknown at synth',
            }).valueAsString;
    // Built from the fixed bus name: a cross-region or cross-account reference needs no export.
    const serviceBus = events.EventBus.fromEventBusArn(
      this,
      'ServiceBus',
      Stack.of(this).formatArn({
        service: 'events',
        region: props.serviceRegion,
        account: serviceAccount,
        resource: 'event-bus',
        resourceName: SERVICE_EVENT_BUS_NAME,
      }),
    );
    const role = new iam.Role(this, 'ForwarderRole', {
      roleName: forwarderRoleName(Stack.of(this).region),
      description: `Puts new-account events onto the Rootkeeper bus in ${props.serviceRegion}`,
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
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
    for (const accountEvent of props.events) {
      const eventName = (accountEvent.pattern.detail?.eventName as string[] | undefined)?.[0] ?? 'Event';
      const rule = new events.Rule(this, `Forward${eventName}`, {
        description: `Forward ${accountEvent.source} ${eventName} events to Rootkeeper in ${props.serviceRegion}`,
        eventPattern: accountEvent.pattern,
        targets: [new targets.EventBus(serviceBus, { deadLetterQueue, role })],
      });
      // The EventBus target has no retry options in CDK; set the same policy as the service's targets.
      (rule.node.defaultChild as events.CfnRule).addPropertyOverride('Targets.0.RetryPolicy', {
        MaximumEventAgeInSeconds: TARGET_RETRY.maxEventAge.toSeconds(),
        MaximumRetryAttempts: TARGET_RETRY.retryAttempts,
      });
    }
  }
}
