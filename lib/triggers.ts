import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { RootkeeperConfig } from './config';
import { DeadLetterQueue } from './dead-letter-queue';
import {
  type AccountEventSpec,
  ACCOUNT_VENDED,
  CONTROL_TOWER_ACCOUNT_CREATED,
  CONTROL_TOWER_ACCOUNT_UPDATED,
  ORGANIZATIONS_ACCOUNT_CREATED,
  ORGANIZATIONS_ACCOUNT_JOINED,
  SERVICE_EVENT_BUS_NAME,
} from './event-patterns';
import { forwarderPlans, forwarderRoleArn } from './forwarding';

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

/** The AWS events that start Secure new account, by construct id. */
const AWS_ACCOUNT_EVENTS: readonly [string, AccountEventSpec][] = [
  ['OrganizationsAccountCreated', ORGANIZATIONS_ACCOUNT_CREATED],
  ['OrganizationsAccountJoined', ORGANIZATIONS_ACCOUNT_JOINED],
  ['ControlTowerAccountCreated', CONTROL_TOWER_ACCOUNT_CREATED],
  ['ControlTowerAccountUpdated', CONTROL_TOWER_ACCOUNT_UPDATED],
];

/**
 * What starts the workflows: the AWS new-account events (Organizations,
 * Control Tower) on the service's own bus (forwarded there from where they
 * are born) and, in management mode, on the default bus too (born there when
 * the service shares their region); the custom "Account Vended" event on the
 * service's bus only, whose resource policy admits only the forwarder roles
 * and the configured vending principals; and the organization audit's schedule.
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
    const { config } = props;
    const delegated = config.deployment === 'delegated-admin';
    this.addBusPolicy(config);

    // [construct id, bus, event, account the event must come from]
    const subscriptions: [string, events.IEventBus, AccountEventSpec, string | undefined][] = [];
    for (const [name, accountEvent] of AWS_ACCOUNT_EVENTS) {
      // Forwarded AWS events keep their `account`: in delegated-admin mode, only the management account's count.
      subscriptions.push([`${name}OnServiceBus`, this.eventBus, accountEvent, config.managementAccountId]);
      if (!delegated) subscriptions.push([`${name}OnDefaultBus`, defaultBus, accountEvent, undefined]);
    }
    subscriptions.push(['AccountVendedOnServiceBus', this.eventBus, ACCOUNT_VENDED, undefined]);
    const rules: events.Rule[] = [];
    for (const [id, bus, accountEvent, fromAccount] of subscriptions) {
      rules.push(
        new events.Rule(this, id, {
          eventBus: bus,
          description: `Secure new account on ${accountEvent.source} events`,
          eventPattern: {
            ...accountEvent.pattern,
            ...(delegated && fromAccount !== undefined ? { account: [fromAccount] } : {}),
          },
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

  /**
   * Who may put events onto the service's bus: the forwarder roles (by
   * `aws:PrincipalArn`, not their whole account) and the vending principals.
   * The Deny covers principals of this very account too, whose own IAM
   * policies would otherwise suffice (same-account access needs no resource
   * policy): nobody else can forge an `Account Vended` event.
   */
  private addBusPolicy(config: RootkeeperConfig): void {
    const stack = Stack.of(this);
    const plans = forwarderPlans(config, stack.region);
    const forwarderRoles = plans.map((plan) =>
      forwarderRoleArn(stack.partition, plan.account ?? stack.account, plan.region),
    );
    const forwarderAccounts = [...new Set(plans.map((plan) => plan.account ?? stack.account))];
    const senders = [...forwarderRoles, ...config.vendingPrincipalArns];
    const accountOf = (arn: string): string => arn.split(':')[4] ?? '';
    const statements: iam.PolicyStatement[] = [];
    if (forwarderRoles.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'ForwardersPutNewAccountEvents',
          principals: forwarderAccounts.map((account) => new iam.AccountPrincipal(account)),
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
          conditions: { ArnEquals: { 'aws:PrincipalArn': forwarderRoles } },
        }),
      );
    }
    if (config.vendingPrincipalArns.length > 0) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'VendingPipelinesPutAccountVended',
          principals: [...new Set(config.vendingPrincipalArns.map(accountOf))].map(
            (account) => new iam.AccountPrincipal(account),
          ),
          actions: ['events:PutEvents'],
          resources: [this.eventBus.eventBusArn],
          conditions: { ArnEquals: { 'aws:PrincipalArn': config.vendingPrincipalArns } },
        }),
      );
    }
    statements.push(
      new iam.PolicyStatement({
        sid: 'NobodyElsePutsEvents',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.eventBus.eventBusArn],
        ...(senders.length === 0 ? {} : { conditions: { ArnNotEquals: { 'aws:PrincipalArn': senders } } }),
      }),
    );
    for (const statement of statements) this.eventBus.addToResourcePolicy(statement);
  }
}
