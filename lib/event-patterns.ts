/**
 * The events that start Secure new account, as EventBridge patterns and the
 * paths of the fields the workflow needs (aws-facts.md, "Events that
 * announce a new account"). Plain data: the service stack, the us-east-1
 * forwarder and the tests use the same patterns.
 */

export interface AccountEventSpec {
  readonly pattern: { source: string[]; detailType: string[]; detail?: Record<string, unknown> };
  /** Where the new account's id is in the event. */
  readonly accountIdPath: string;
  /** A value unique per event, for the request claim: CloudTrail's eventID, or the vending request id. */
  readonly requestIdPath: string;
  /** The `source` the workflow records. */
  readonly source: string;
}

export const ORGANIZATIONS_ACCOUNT_CREATED: AccountEventSpec = {
  pattern: {
    source: ['aws.organizations'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['CreateAccountResult'],
      serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
  accountIdPath: '$.detail.serviceEventDetails.createAccountStatus.accountId',
  requestIdPath: '$.detail.eventID',
  source: 'aws.organizations',
};

export const CONTROL_TOWER_ACCOUNT_CREATED: AccountEventSpec = {
  pattern: {
    source: ['aws.controltower'],
    detailType: ['AWS Service Event via CloudTrail'],
    detail: {
      eventName: ['CreateManagedAccount'],
      serviceEventDetails: { createManagedAccountStatus: { state: ['SUCCEEDED'] } },
    },
  },
  accountIdPath: '$.detail.serviceEventDetails.createManagedAccountStatus.account.accountId',
  requestIdPath: '$.detail.eventID',
  source: 'aws.controltower',
};

/** The documented custom event of account-vending pipelines (docs/architecture.md). */
export const ACCOUNT_VENDED: AccountEventSpec = {
  pattern: {
    source: ['rootkeeper.vending'],
    detailType: ['Account Vended'],
  },
  accountIdPath: '$.detail.accountId',
  requestIdPath: '$.detail.requestId',
  source: 'rootkeeper.vending',
};

/** The name of the service's own event bus; fixed, so the us-east-1 forwarder can address it. */
export const SERVICE_EVENT_BUS_NAME = 'rootkeeper';

/** Organizations publishes its CloudTrail events in this region only. */
export const ORGANIZATIONS_EVENTS_REGION = 'us-east-1';
