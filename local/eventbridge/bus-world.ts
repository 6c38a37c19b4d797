import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { evaluateRequest, type PolicyDecision } from '../iam/evaluate-request';
import type { PolicyDocument } from '../iam/resource-policies';
import type {
  BusEvent,
  LocalEventBus,
  PutEventsCaller,
  PutEventsOutcome,
  RecordedEvent,
} from './local-event-bus';

/** Where a bus lives. */
export interface BusLocation {
  readonly account: string;
  readonly region: string;
}

/** What the world knows of IAM: resource policies of buses, identity policies of principals. */
export interface BusWorldPolicies {
  /** The bus's resource policy, undefined when it has none. */
  readonly busPolicy: (location: BusLocation, busName: string) => PolicyDocument | undefined;
  /** The identity policies of a role or user ARN (a role session counts as its role). */
  readonly identityPolicies: (principalArn: string) => readonly PolicyDocument[];
}

/** One judged PutEvents, for the report: who asked, onto which bus, and the evaluator's answer. */
export interface PutEventsJudgement {
  readonly principalArn: string;
  readonly busArn: string;
  readonly decision: PolicyDecision;
}

const BUS_ARN = /^arn:([\w-]+):events:([\w-]+):(\d{12}):event-bus\/(.+)$/;

/**
 * Several accounts and regions, each with its own buses: events cross from
 * one to another only through a rule's event-bus target (with its role), or a
 * PutEvents call by a principal; either way the receiving bus's resource
 * policy and the caller's identity policies are judged by the IAM policy
 * evaluator, as EventBridge does, and a refusal routes nothing.
 */
export class BusWorld {
  private readonly buses = new Map<string, LocalEventBus>();
  readonly judgements: PutEventsJudgement[] = [];

  constructor(private readonly policies: BusWorldPolicies) {}

  add(location: BusLocation, bus: LocalEventBus): void {
    this.buses.set(key(location), bus);
  }

  bus(location: BusLocation): LocalEventBus {
    const bus = this.buses.get(key(location));
    if (bus === undefined)
      throw new Error(`no buses in account ${location.account}, region ${location.region}`);
    return bus;
  }

  /** An event an AWS service emits in that account and region (the bus's `publish`). */
  publish(location: BusLocation, event: BusEvent, busName = 'default'): RecordedEvent {
    return this.bus(location).publish(event, busName);
  }

  /** PutEvents by a principal (a role or user ARN; a role session counts as its role) onto a bus in `location`. */
  putEventsAs(
    principalArn: string,
    location: BusLocation,
    entries: readonly PutEventsRequestEntry[],
  ): Promise<PutEventsOutcome> {
    return this.bus(location).putEventsAuthorized(entries, {
      account: accountOf(principalArn),
      principalArn,
    });
  }

  /** The `authorize` option of the bus in `location`. */
  authorizer(
    location: BusLocation,
  ): (busName: string, caller: PutEventsCaller, entry: PutEventsRequestEntry) => Promise<string | undefined> {
    return async (busName, caller, entry) => {
      const principalArn =
        caller.principalArn ??
        (caller.account === location.account ? undefined : `arn:aws:iam::${caller.account ?? ''}:root`);
      // A caller of the bus's own account with no known principal: its own IAM policies decide, as before.
      if (principalArn === undefined) return undefined;
      const decision = await this.judge(principalArn, location, busName, {
        source: entry.Source ?? '',
        detailType: entry.DetailType ?? '',
      });
      return decision.allowed
        ? undefined
        : `User: ${principalArn} is not authorized to perform: events:PutEvents on resource: ${busArnOf(location, busName)} (${decision.result})`;
    };
  }

  /** The `deliverToBus` option of every bus: a rule's bus target, delivered with the rule's role. */
  readonly deliverToBus = async (request: {
    readonly busArn: string;
    readonly roleArn?: string;
    readonly event: BusEvent;
  }): Promise<void> => {
    const match = BUS_ARN.exec(request.busArn);
    if (match === null) throw new Error(`not an event bus ARN: ${request.busArn}`);
    const [, , region = '', account = '', busName = ''] = match;
    const location = { account, region };
    if (request.roleArn === undefined) throw new AccessDeniedError(`no role to put onto ${request.busArn}`);
    const decision = await this.judge(request.roleArn, location, busName, {
      source: request.event.source,
      detailType: request.event['detail-type'],
    });
    if (!decision.allowed) {
      throw new AccessDeniedError(
        `${request.roleArn} is not authorized to perform: events:PutEvents on resource: ${request.busArn} (${decision.result})`,
      );
    }
    // A bus target receives the event unchanged: source, account and region of its birth.
    this.bus(location).publish(request.event, busName);
  };

  /** EventBridge sets events:source and events:detail-type from each entry. */
  private async judge(
    principalArn: string,
    location: BusLocation,
    busName: string,
    entry: { source: string; detailType: string },
  ): Promise<PolicyDecision> {
    const busArn = busArnOf(location, busName);
    const decision = await evaluateRequest({
      principal: principalArn,
      action: 'events:PutEvents',
      resourceArn: busArn,
      resourceAccount: location.account,
      identityPolicies: this.policies.identityPolicies(principalArn),
      resourcePolicy: this.policies.busPolicy(location, busName),
      context: { 'events:source': [entry.source], 'events:detail-type': [entry.detailType] },
    });
    this.judgements.push({ principalArn, busArn, decision });
    return decision;
  }
}

class AccessDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessDeniedException';
  }
}

function key(location: BusLocation): string {
  return `${location.account}/${location.region}`;
}

function busArnOf(location: BusLocation, busName: string): string {
  return `arn:aws:events:${location.region}:${location.account}:event-bus/${busName}`;
}

function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}
