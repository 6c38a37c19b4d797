import type { SFNClient } from '@aws-sdk/client-sfn';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { createDecideApprovalHandler } from '../../lambdas/handlers/decide-approval';
import {
  ApprovalNotPendingError,
  ApproverNotAllowedError,
  SelfApprovalError,
} from '../../lambdas/root-access/approval';
import type { AppliedDecision, GivenGoAhead } from '../../cli/decision-client';
import { TABLE, type WorkflowHarness } from './workflow-harness';
import { fakeContext } from '../lambdas/handlers/handler-fakes';

const REFUSALS: Readonly<Record<string, new (message: string) => Error>> = {
  SelfApprovalError,
  ApproverNotAllowedError,
  ApprovalNotPendingError,
};

export interface TestDecision {
  readonly executionArn: string;
  readonly approve: boolean;
  /** The caller AWS authenticated (requestContext.authorizer.iam.userArn). */
  readonly approverArn: string;
  readonly reason: string;
  readonly now: Date;
}

/**
 * A request to the real Decide approval handler, as Lambda would invoke it
 * behind the function URL once it has authenticated the caller (the SigV4
 * part has its own tests: local/lambda-url and the CLI's). Refusals come
 * back as the domain's errors, as the command line rethrows them.
 */
async function invokeDecideFunction(
  harness: WorkflowHarness,
  sfn: SFNClient,
  callerArn: string,
  now: Date,
  body: Record<string, string>,
): Promise<Record<string, unknown>> {
  const handler = createDecideApprovalHandler(() => ({
    sfn,
    documentClient: harness.table,
    tableName: TABLE,
    gatedStateMachineArns: [
      harness.arn('deleteRootCredentials'),
      harness.arn('unlockS3BucketPolicy'),
      harness.arn('unlockSqsQueuePolicy'),
      harness.arn('enableAccountRecovery'),
    ],
    goAheadStateMachineArns: [harness.arn('remediateOrganization')],
    now: () => now,
  }));
  const event = {
    version: '2.0',
    rawPath: '/',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    body: JSON.stringify(body),
    requestContext: {
      accountId: '111111111111',
      http: { method: 'POST', path: '/' },
      authorizer: { iam: { userArn: callerArn } },
    },
  } as unknown as LambdaFunctionURLEventWithIAMAuthorizer;
  const result = await handler(event, fakeContext);
  const answer = JSON.parse(typeof result === 'string' ? result : (result.body ?? '{}')) as Record<
    string,
    unknown
  >;
  const status = typeof result === 'string' ? 200 : result.statusCode;
  if (status === 200) return answer;
  const name = typeof answer.error === 'string' ? answer.error : '';
  const message = typeof answer.message === 'string' ? answer.message : '';
  const Refusal = REFUSALS[name];
  throw Refusal === undefined ? new Error(`${status} ${name}: ${message}`) : new Refusal(message);
}

/** An approval or denial through the Decide approval function. */
export function decideThroughFunction(harness: WorkflowHarness, sfn: SFNClient) {
  return async (decision: TestDecision): Promise<AppliedDecision> =>
    (await invokeDecideFunction(harness, sfn, decision.approverArn, decision.now, {
      executionArn: decision.executionArn,
      decision: decision.approve ? 'APPROVE' : 'DENY',
      reason: decision.reason,
    })) as unknown as AppliedDecision;
}

export interface TestGoAhead {
  readonly executionArn: string;
  /** The caller AWS authenticated. */
  readonly giverArn: string;
  readonly reason: string;
  readonly now: Date;
}

/** A remediation go-ahead through the Decide approval function (what `remediate --continue` sends). */
export function goAheadThroughFunction(harness: WorkflowHarness, sfn: SFNClient) {
  return async (goAhead: TestGoAhead): Promise<GivenGoAhead> =>
    (await invokeDecideFunction(harness, sfn, goAhead.giverArn, goAhead.now, {
      executionArn: goAhead.executionArn,
      decision: 'GO_AHEAD',
      reason: goAhead.reason,
    })) as unknown as GivenGoAhead;
}
