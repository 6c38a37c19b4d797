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
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.organizations',
    account: options.managementAccountId,
    time: cloudTrailTime(at),
    region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { accountId: options.managementAccountId, invokedBy: 'organizations.amazonaws.com' },
      eventTime: cloudTrailTime(at),
      eventSource: 'organizations.amazonaws.com',
      eventName: 'CreateAccountResult',
      awsRegion: region,
      sourceIPAddress: 'organizations.amazonaws.com',
      userAgent: 'organizations.amazonaws.com',
      requestParameters: null,
      responseElements: null,
      eventID: options.eventId ?? randomUUID(),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: options.managementAccountId,
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
      eventCategory: 'Management',
    },
  };
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
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.organizations',
    account: options.managementAccountId,
    time: cloudTrailTime(at),
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.11',
      userIdentity: { accountId: options.managementAccountId, invokedBy: 'organizations.amazonaws.com' },
      eventTime: cloudTrailTime(at),
      eventSource: 'organizations.amazonaws.com',
      eventName: 'AccountJoinedOrganization',
      awsRegion: 'us-east-1',
      sourceIPAddress: 'organizations.amazonaws.com',
      userAgent: 'organizations.amazonaws.com',
      requestParameters: null,
      responseElements: null,
      eventID: options.eventId ?? randomUUID(),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: options.managementAccountId,
      serviceEventDetails: {
        accountId: options.accountId,
        joinedMethod: 'Invited',
        joinedTime: cloudTrailTime(at),
      },
      eventCategory: 'Management',
    },
  };
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
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.controltower',
    account: options.managementAccountId,
    time: cloudTrailTime(at),
    region: options.region,
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { accountId: options.managementAccountId, invokedBy: 'AWS Internal' },
      eventTime: cloudTrailTime(at),
      eventSource: 'controltower.amazonaws.com',
      eventName: 'UpdateManagedAccount',
      awsRegion: options.region,
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: options.managementAccountId,
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
    },
  };
}
