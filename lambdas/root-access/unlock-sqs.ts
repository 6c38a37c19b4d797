import { GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { callAws } from './aws-error-mapping';
import type { ApplyUnlockInput, PolicySnapshot, UnlockOutcome } from './policy-digest';
import { applyPolicyUnlock, readPolicySnapshot, type ResourcePolicy } from './policy-unlock';
import type { Partition } from './task-policies';
import { validateQueueUrl, type QueueUrlOptions } from './validation';

/*
 * Queue policies, in a root session with task SQSUnlockQueuePolicy. The SQS
 * client must be built for `queue.region` (RootSession.sqs does); the queue
 * comes from locateQueue, which already checked it belongs to the target.
 */

/** A queue URL with the region, account and name read from it. */
export interface QueueLocation {
  readonly queueUrl: string;
  readonly region: string;
  readonly accountId: string;
  readonly queueName: string;
}

/**
 * Reads region, account and name from the queue URL and checks that the
 * queue belongs to the target account (InvalidInputError naming `queueUrl`).
 * Call it before opening the root session: a session for one account must
 * never be pointed at another account's queue.
 */
export function locateQueue(queueUrl: unknown, accountId: string, options: QueueUrlOptions): QueueLocation {
  const location = validateQueueUrl(queueUrl, accountId, options);
  return { queueUrl: String(queueUrl).trim(), ...location };
}

export function queueArn(queue: QueueLocation, partition: Partition = 'aws'): string {
  return `arn:${partition}:sqs:${queue.region}:${queue.accountId}:${queue.queueName}`;
}

function queuePolicy(sqs: SQSClient, queue: QueueLocation, partition: Partition): ResourcePolicy {
  const setPolicy = async (policy: string): Promise<void> => {
    await callAws('sqs:SetQueueAttributes', () =>
      sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.queueUrl, Attributes: { Policy: policy } })),
    );
  };
  return {
    resourceArn: queueArn(queue, partition),
    async read() {
      const response = await callAws('sqs:GetQueueAttributes', () =>
        sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.queueUrl, AttributeNames: ['Policy'] })),
      );
      // A queue without a policy has no Policy attribute (or an empty one).
      const policy = response.Attributes?.Policy;
      return policy === undefined || policy === '' ? null : policy;
    },
    // SQS has no DeletePolicy: an empty Policy attribute removes it.
    delete: () => setPolicy(''),
    replace: setPolicy,
  };
}

/** The queue's Policy attribute as stored (null when it has none) and its digest. */
export async function readQueuePolicy(
  sqs: SQSClient,
  queue: QueueLocation,
  partition: Partition = 'aws',
): Promise<PolicySnapshot> {
  return readPolicySnapshot(queuePolicy(sqs, queue, partition));
}

/**
 * Removes (Policy set to "") or replaces the queue's policy, after checking
 * that it is still the one that was backed up.
 */
export async function applyQueuePolicyUnlock(
  sqs: SQSClient,
  queue: QueueLocation,
  input: ApplyUnlockInput,
  partition: Partition = 'aws',
): Promise<UnlockOutcome> {
  return applyPolicyUnlock(queuePolicy(sqs, queue, partition), input);
}
