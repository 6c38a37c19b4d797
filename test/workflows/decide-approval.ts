import type { SFNClient } from '@aws-sdk/client-sfn';
import type { LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { createDecideApprovalHandler } from '../../lambdas/handlers/decide-approval';
import {
  ApprovalNotPendingError,
  ApproverNotAllowedError,
  SelfApprovalError,
} from '../../lambdas/root-access/approval';
import type { AppliedDecision } from '../../cli/decision-client';
import { TABLE, type WorkflowHarness } from './workflow-harness';

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
 * A decision through the real Decide approval handler, as Lambda would
 * invoke it behind the function URL once it has authenticated the caller
 * (the SigV4 part has its own tests: local/lambda-url and the CLI's).
 * Refusals come back as the domain's errors, as the command line rethrows them.
 */
export function decideThroughFunction(harness: WorkflowHarness, sfn: SFNClient) {
  return async (decision: TestDecision): Promise<AppliedDecision> => {
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
      now: () => decision.now,
    }));
    const event = {
      version: '2.0',
      rawPath: '/',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      body: JSON.stringify({
        executionArn: decision.executionArn,
        decision: decision.approve ? 'APPROVE' : 'DENY',
        reason: decision.reason,
      }),
      requestContext: {
        accountId: '111111111111',
        http: { method: 'POST', path: '/' },
        authorizer: { iam: { userArn: decision.approverArn } },
      },
    } as unknown as LambdaFunctionURLEventWithIAMAuthorizer;
    const result = await handler(event);
    const body = JSON.parse(typeof result === 'string' ? result : (result.body ?? '{}')) as Record<
      string,
      string
    >;
    const status = typeof result === 'string' ? 200 : result.statusCode;
    if (status === 200) return body as unknown as AppliedDecision;
    const Refusal = REFUSALS[body.error ?? ''];
    throw Refusal === undefined
      ? new Error(`${status} ${body.error}: ${body.message}`)
      : new Refusal(body.message ?? '');
  };
}
