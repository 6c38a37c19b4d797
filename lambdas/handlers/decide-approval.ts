import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  LambdaFunctionURLEventWithIAMAuthorizer as LambdaFunctionURLEvent,
  LambdaFunctionURLResult,
} from 'aws-lambda';
import { GATED_STATE_MACHINES_VARIABLE } from '../../lib/approvals/approval-event';
import { GO_AHEAD_STATE_MACHINES_VARIABLE } from '../../lib/workflows/go-ahead';
import { DECISION, approvalKey } from '../../lib/results-table-keys';
import { ApprovalNotPendingError, ApproverNotAllowedError, SelfApprovalError } from '../root-access/approval';
import { decideApproval, type DecisionStore } from '../root-access/approval-requests';
import { giveGoAhead } from '../root-access/go-ahead-requests';
import { hasAwsErrorCode } from '../root-access/aws-error-mapping';
import { InvalidInputError } from '../root-access/errors';
import { validateReason } from '../root-access/validation';
import { listVariable, requireVariable, runtimeSettings } from '../shared/env';
import { logger } from '../shared/logger';
import { sharedClientConfig } from '../shared/root-task-runtime';

/**
 * Decide approval, behind a function URL with AuthType AWS_IAM: Lambda
 * verifies the caller's SigV4 signature and IAM permission before the
 * function runs, and hands the authenticated caller in
 * `requestContext.authorizer.iam.userArn` (for a role session, its
 * assumed-role ARN: role and session name). The function applies the
 * approver rules to that caller, records the decision in the results table
 * (once per run) and alone answers the task token. The approver policy
 * grants only the invoke of this URL, never states:SendTaskSuccess.
 *
 * It also gives the go-ahead a Remediate organization run waits for before
 * a wave (`rootkeeper remediate --continue`): the same path, recorded once
 * per wave, with the approver rules when the run says an approver is
 * required (go-ahead-requests.ts).
 *
 * POST body: `{ "executionArn": "...", "decision": "APPROVE" | "DENY" | "GO_AHEAD", "reason": "..." }`.
 * Answers 200 with the decision and the request; 403 when the rules refuse
 * the caller, 409 when the run is not waiting (or was decided), 400 for bad
 * input naming the field; nothing is recorded or sent in any of those cases.
 */

export interface DecideApprovalDependencies {
  readonly sfn: SFNClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly gatedStateMachineArns: readonly string[];
  /** The Remediate organization workflows, whose go-ahead between waves this function gives. */
  readonly goAheadStateMachineArns?: readonly string[];
  readonly now?: () => Date;
}

/** The decision record, written only if none exists for the run. */
export function tableDecisionStore(documentClient: DynamoDBDocumentClient, tableName: string): DecisionStore {
  return {
    async recordOnce(executionArn, decision, sortKey = DECISION) {
      try {
        await documentClient.send(
          new PutCommand({
            TableName: tableName,
            Item: { PK: approvalKey(executionArn), SK: sortKey, executionArn, ...decision },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return true;
      } catch (error) {
        if (hasAwsErrorCode(error, 'ConditionalCheckFailedException')) return false;
        throw error;
      }
    },
  };
}

function respond(statusCode: number, body: unknown): LambdaFunctionURLResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function parseBody(event: LambdaFunctionURLEvent): Record<string, unknown> {
  const text =
    event.isBase64Encoded && event.body !== undefined
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : (event.body ?? '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InvalidInputError('body', 'must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('body', 'must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function createDecideApprovalHandler(
  dependencies: () => DecideApprovalDependencies = containerDependencies,
) {
  // Not wrapHandler: refusals are answers (403, 409, 400), not errors to rethrow.
  // The logger still gets each invocation's context, so its lines name this function and request.
  return middy(async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    // With AuthType AWS_IAM, Lambda fills this from the verified signature.
    const approverArn = event.requestContext?.authorizer?.iam?.userArn;
    if (typeof approverArn !== 'string' || approverArn === '') {
      return respond(403, { error: 'NotAuthenticated', message: 'no authenticated IAM caller' });
    }
    try {
      if (event.requestContext.http.method !== 'POST') {
        throw new InvalidInputError('method', 'must be POST');
      }
      const body = parseBody(event);
      const executionArn = body.executionArn;
      if (typeof executionArn !== 'string' || !executionArn.startsWith('arn:')) {
        throw new InvalidInputError('executionArn', 'must be the ARN of the run to decide');
      }
      if (body.decision !== 'APPROVE' && body.decision !== 'DENY' && body.decision !== 'GO_AHEAD') {
        throw new InvalidInputError('decision', 'must be APPROVE, DENY or GO_AHEAD');
      }
      const deps = dependencies();
      const now = (deps.now ?? (() => new Date()))();
      const store = tableDecisionStore(deps.documentClient, deps.tableName);
      if (body.decision === 'GO_AHEAD') {
        const reason = validateReason(body.reason, { required: false }) ?? '';
        const given = await giveGoAhead({ sfn: deps.sfn, store }, deps.goAheadStateMachineArns ?? [], {
          executionArn,
          giverArn: approverArn,
          reason,
          now,
        });
        logger.info('go-ahead given', { executionArn, wave: given.wave, by: given.recorded.by });
        return respond(200, { ...given.recorded, wave: given.wave, goAhead: given.detail });
      }
      const reason = validateReason(body.reason, { required: true }) ?? '';
      const { request, recorded } = await decideApproval(
        { sfn: deps.sfn, store },
        deps.gatedStateMachineArns,
        {
          executionArn,
          approve: body.decision === 'APPROVE',
          approverArn,
          reason,
          now,
        },
      );
      logger.info('approval decided', { executionArn, decision: recorded.decision, by: recorded.by });
      return respond(200, { ...recorded, request });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      logger.warn('approval decision refused or failed', {
        approverArn,
        errorName: name,
        errorMessage: message,
      });
      if (error instanceof SelfApprovalError || error instanceof ApproverNotAllowedError) {
        return respond(403, { error: name, message });
      }
      if (error instanceof ApprovalNotPendingError) return respond(409, { error: name, message });
      if (error instanceof InvalidInputError) return respond(400, { error: name, message });
      return respond(500, { error: name, message });
    }
  }).use(injectLambdaContext(logger, { logEvent: false }));
}

let fromEnvironment: DecideApprovalDependencies | undefined;

/** The clients of the Lambda container, built once from its environment. */
function containerDependencies(): DecideApprovalDependencies {
  if (fromEnvironment !== undefined) return fromEnvironment;
  const { region } = runtimeSettings();
  fromEnvironment = {
    sfn: new SFNClient({ region, ...sharedClientConfig() }),
    documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({ region, ...sharedClientConfig() })),
    tableName: requireVariable(process.env, 'RESULTS_TABLE_NAME'),
    gatedStateMachineArns: listVariable(process.env, GATED_STATE_MACHINES_VARIABLE),
    goAheadStateMachineArns: listVariable(process.env, GO_AHEAD_STATE_MACHINES_VARIABLE),
  };
  return fromEnvironment;
}

export const handler = createDecideApprovalHandler();
