import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  ApprovalNotPendingError,
  ApproverNotAllowedError,
  SelfApprovalError,
} from '../lambdas/root-access/approval';
import type { ApprovalRequest, RecordedDecision } from '../lambdas/root-access/approval-requests';
import { CliError, EXIT } from './errors';
import { signedPost } from './signed-request';

/** What the Decide approval function answers for a decision it applied. */
export interface AppliedDecision extends RecordedDecision {
  readonly request: ApprovalRequest;
}

const REFUSALS: Readonly<Record<string, new (message: string) => Error>> = {
  SelfApprovalError,
  ApproverNotAllowedError,
  ApprovalNotPendingError,
};

/**
 * Asks the Decide approval function (its function URL, AuthType AWS_IAM) to
 * approve or deny a run, signed with the caller's own credentials (those of
 * the command line's AWS clients). The function, not the command line,
 * applies the approver rules: its refusals come back as the same errors.
 */
export async function requestDecision(
  sfn: SFNClient,
  functionUrl: string,
  decision: { executionArn: string; approve: boolean; reason: string },
): Promise<AppliedDecision> {
  const answer = await postToDecideFunction(sfn, functionUrl, {
    executionArn: decision.executionArn,
    decision: decision.approve ? 'APPROVE' : 'DENY',
    reason: decision.reason,
  });
  return answer as unknown as AppliedDecision;
}

/** What the Decide approval function answers for a go-ahead it gave. */
export interface GivenGoAhead extends RecordedDecision {
  /** The wave the go-ahead opens. */
  readonly wave: number;
  /** What the run sent while waiting: the finished wave's tally, the next wave. */
  readonly goAhead: Record<string, unknown>;
}

/**
 * Asks the Decide approval function to give the go-ahead a Remediate
 * organization run waits for: the function applies the rules (with
 * approvals on, an approver other than the requester) and records who gave
 * it; the workflow refuses a go-ahead it did not record.
 */
export async function requestGoAhead(
  sfn: SFNClient,
  functionUrl: string,
  goAhead: { executionArn: string; reason: string },
): Promise<GivenGoAhead> {
  const answer = await postToDecideFunction(sfn, functionUrl, {
    executionArn: goAhead.executionArn,
    decision: 'GO_AHEAD',
    reason: goAhead.reason,
  });
  return answer as unknown as GivenGoAhead;
}

async function postToDecideFunction(
  sfn: SFNClient,
  functionUrl: string,
  payload: { executionArn: string; decision: 'APPROVE' | 'DENY' | 'GO_AHEAD'; reason: string },
): Promise<Record<string, unknown>> {
  const credentials = await sfn.config.credentials();
  const region = await sfn.config.region();
  const request = await signedPost(new URL(functionUrl), JSON.stringify(payload), credentials, region);
  let response: Response;
  try {
    response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
  } catch (error) {
    throw new CliError(
      `could not reach the Decide approval function at ${functionUrl}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.AWS,
      'aws',
    );
  }
  const text = await response.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    answer = { message: text };
  }
  if (response.ok) return answer;
  const name = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
  const message = typeof answer.message === 'string' ? answer.message : text;
  const Refusal = REFUSALS[name];
  if (Refusal !== undefined) throw new Refusal(message);
  throw new CliError(`the Decide approval function refused: ${name}: ${message}`, EXIT.AWS, 'aws');
}
