import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from './config';
import { DeadLetterQueue } from './dead-letter-queue';
import {
  type AccountEventSpec,
  ACCOUNT_VENDED,
  CONTROL_TOWER_ACCOUNT_CREATED,
  ORGANIZATIONS_ACCOUNT_CREATED,
  SERVICE_EVENT_BUS_NAME,
} from './event-patterns';

/**
 * Delivery of an event to a workflow: a few hours of retries, then the dead-letter
 * queue (and its alarm) instead of EventBridge's silent drop.
 */
export const TARGET_RETRY = { maxEventAge: Duration.hours(6), retryAttempts: 50 } as const;

export interface TriggersProps {
  readonly config: RootkeeperConfig;
  readonly secureNewAccount: sfn.IStateMachine;
  readonly auditOrganization: sfn.IStateMachine;
}

/**
 * What starts the workflows: new-account events (Organizations, Control
 * Tower, the custom "Account Vended" event) on the default bus and on the
 * service's own bus (which receives the events forwarded from us-east-1 and
 * may receive vending events), and the organization audit's schedule.
 */
export class Triggers extends Construct {
  readonly eventBus: events.EventBus;
  readonly deadLetterQueue: sqs.Queue;
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: TriggersProps) {
    super(scope, id);
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: SERVICE_EVENT_BUS_NAME });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters').queue;
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    const accountEvents: [string, AccountEventSpec][] = [
      ['OrganizationsAccountCreated', ORGANIZATIONS_ACCOUNT_CREATED],
      ['ControlTowerAccountCreated', CONTROL_TOWER_ACCOUNT_CREATED],
      ['AccountVended', ACCOUNT_VENDED],
    ];
    const rules: events.Rule[] = [];
    for (const [name, accountEvent] of accountEvents) {
      for (const [busName, bus] of [
        ['OnDefaultBus', defaultBus],
        ['OnServiceBus', this.eventBus],
      ] as const) {
        rules.push(
          new events.Rule(this, `${name}${busName}`, {
            eventBus: bus,
            description: `Secure new account on ${accountEvent.source} events`,
            eventPattern: accountEvent.pattern,
            targets: [
              new targets.SfnStateMachine(props.secureNewAccount, {
                input: events.RuleTargetInput.fromObject({
                  accountId: events.EventField.fromPath(accountEvent.accountIdPath),
                  requestId: events.EventField.fromPath(accountEvent.requestIdPath),
                  source: accountEvent.source,
                }),
                deadLetterQueue: this.deadLetterQueue,
                ...TARGET_RETRY,
              }),
            ],
          }),
        );
      }
    }
    rules.push(
      new events.Rule(this, 'AuditSchedule', {
        description: 'Audit organization on a schedule',
        schedule: events.Schedule.expression(props.config.auditSchedule),
        targets: [
          new targets.SfnStateMachine(props.auditOrganization, {
            input: events.RuleTargetInput.fromObject({
              requestedBy: 'schedule',
              reason: 'Scheduled organization audit',
            }),
            deadLetterQueue: this.deadLetterQueue,
            ...TARGET_RETRY,
          }),
        ],
      }),
    );
    this.rules = rules;
  }
}
