import { randomUUID } from 'node:crypto';
import type { BusEvent } from '../eventbridge';

export interface CreateAccountResultOptions {
  readonly accountId: string;
  readonly accountName: string;
  readonly managementAccountId: string;
  /** Organizations sends its CloudTrail events in us-east-1 only. */
  readonly region?: string;
  readonly at?: Date;
  /** CloudTrail's eventID: the request id Secure new account claims (a redelivery repeats it). */
  readonly eventId?: string;
}

const cloudTrailTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Organizations' own date format in serviceEventDetails, e.g. "Nov 20, 2026 9:14:36 AM" (UTC). */
export function organizationsTime(date: Date): string {
  const hours = date.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** What differs between the AWS service events CloudTrail delivers through EventBridge. */
interface ServiceEventParts {
  /** `aws.organizations` or `aws.controltower`. */
  readonly source: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventVersion: string;
  /** The service principal (or `AWS Internal`): invokedBy, sourceIPAddress and userAgent alike. */
  readonly caller: string;
  readonly managementAccountId: string;
  readonly region: string;
  readonly at: Date;
  readonly eventId: string;
  readonly serviceEventDetails: Record<string, unknown>;
  /** Organizations' events carry null request parameters and an event category; Control Tower's neither. */
  readonly organizationsFields: boolean;
}

/** The envelope and CloudTrail record every service event of the main job shares. */
function serviceEvent(parts: ServiceEventParts): BusEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Service Event via CloudTrail',
    source: parts.source,
    account: parts.managementAccountId,
    time: cloudTrailTime(parts.at),
    region: parts.region,
    resources: [],
    detail: {
      eventVersion: parts.eventVersion,
      userIdentity: { accountId: parts.managementAccountId, invokedBy: parts.caller },
      eventTime: cloudTrailTime(parts.at),
      eventSource: parts.eventSource,
      eventName: parts.eventName,
      awsRegion: parts.region,
      sourceIPAddress: parts.caller,
      userAgent: parts.caller,
      ...(parts.organizationsFields && { requestParameters: null, responseElements: null }),
      eventID: parts.eventId,
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: parts.managementAccountId,
      serviceEventDetails: parts.serviceEventDetails,
      ...(parts.organizationsFields && { eventCategory: 'Management' }),
    },
  };
}

/**
 * A SUCCEEDED CreateAccountResult, field for field the shape of
 * test/fixtures/events/organizations-create-account-result-succeeded.json
 * (what EventBridge delivers from Organizations' CloudTrail service event).
 */
export function createAccountResultEvent(options: CreateAccountResultOptions): BusEvent {
  const at = options.at ?? new Date();
  const region = options.region ?? 'us-east-1';
  // As in CloudTrail: completed a second before the event, requested some forty seconds before.
  const completed = new Date(at.getTime() - 1_000);
  const requested = new Date(at.getTime() - 42_000);
  return serviceEvent({
    source: 'aws.organizations',
    eventSource: 'organizations.amazonaws.com',
    eventName: 'CreateAccountResult',
    eventVersion: '1.08',
    caller: 'organizations.amazonaws.com',
    managementAccountId: options.managementAccountId,
    region,
    at,
    eventId: options.eventId ?? randomUUID(),
    organizationsFields: true,
    serviceEventDetails: {
      createAccountStatus: {
        id: `car-${randomUUID().replace(/-/g, '')}`,
        state: 'SUCCEEDED',
        accountName: options.accountName,
        accountId: options.accountId,
        requestedTimestamp: organizationsTime(requested),
        completedTimestamp: organizationsTime(completed),
      },
    },
  });
}

export interface AccountJoinedOptions {
  readonly accountId: string;
  readonly managementAccountId: string;
  readonly at?: Date;
  readonly eventId?: string;
}

/**
 * An invited account accepted the handshake: Organizations records
 * AccountJoinedOrganization in the management account, in us-east-1 (the
 * AcceptHandshake API reference). AWS publishes no sample of its
 * serviceEventDetails; the fields here follow lib/event-patterns.ts's
 * documented assumption (joinedMethod, accountId).
 */
export function accountJoinedEvent(options: AccountJoinedOptions): BusEvent {
  const at = options.at ?? new Date();
  return serviceEvent({
    source: 'aws.organizations',
    eventSource: 'organizations.amazonaws.com',
    eventName: 'AccountJoinedOrganization',
    eventVersion: '1.11',
    caller: 'organizations.amazonaws.com',
    managementAccountId: options.managementAccountId,
    region: 'us-east-1',
    at,
    eventId: options.eventId ?? randomUUID(),
    organizationsFields: true,
    serviceEventDetails: {
      accountId: options.accountId,
      joinedMethod: 'Invited',
      joinedTime: cloudTrailTime(at),
    },
  });
}

export interface ManagedAccountUpdatedOptions {
  readonly accountId: string;
  readonly accountName: string;
  readonly managementAccountId: string;
  /** The Control Tower home region. */
  readonly region: string;
  readonly at?: Date;
}

/** Control Tower enrolled (or re-enrolled) an account: test/fixtures/events/controltower-update-managed-account.json's shape. */
export function managedAccountUpdatedEvent(options: ManagedAccountUpdatedOptions): BusEvent {
  const at = options.at ?? new Date();
  return serviceEvent({
    source: 'aws.controltower',
    eventSource: 'controltower.amazonaws.com',
    eventName: 'UpdateManagedAccount',
    eventVersion: '1.08',
    caller: 'AWS Internal',
    managementAccountId: options.managementAccountId,
    region: options.region,
    at,
    eventId: randomUUID(),
    organizationsFields: false,
    serviceEventDetails: {
      updateManagedAccountStatus: {
        organizationalUnit: {
          organizationalUnitName: 'Workloads',
          organizationalUnitId: 'ou-ab12-3cd45ef6',
        },
        account: { accountName: options.accountName, accountId: options.accountId },
        state: 'SUCCEEDED',
        message: 'AWS Control Tower successfully updated a managed account.',
        requestedTimestamp: cloudTrailTime(new Date(at.getTime() - 60_000)),
        completedTimestamp: cloudTrailTime(at),
      },
    },
  });
}
