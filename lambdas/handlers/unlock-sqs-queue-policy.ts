import type { UnlockOutcome } from '../root-access/policy-digest';
import { applyQueuePolicyUnlock, locateQueue, readQueuePolicy } from '../root-access/unlock-sqs';
import { validateAccountId } from '../root-access/validation';
import { eventObject } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { containerRootTaskRuntime, withRootSession, type RuntimeProvider } from '../shared/root-task-runtime';
import { applyUnlockInput, unlockOperation } from '../shared/unlock-event';

export interface ReadQueuePolicyResult {
  readonly accountId: string;
  readonly queueUrl: string;
  readonly resourceArn: string;
  readonly policy: string | null;
  readonly policySha256: string | null;
  readonly sessionAccessKeyId: string;
}

export interface ApplyQueuePolicyResult {
  readonly accountId: string;
  readonly queueUrl: string;
  readonly outcome: UnlockOutcome;
  readonly sessionAccessKeyId: string;
}

const TASK = 'SQSUnlockQueuePolicy';

/**
 * UnlockSqsQueuePolicy: READ returns the queue's Policy attribute for the
 * workflow to back up; APPLY removes or replaces it if it is still the one
 * backed up. The queue URL is checked against the target account before the
 * root session is opened, and the SQS client is built for the queue's region.
 */
export function createUnlockSqsHandler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler(
    'UnlockSqsQueuePolicy',
    async (event: unknown): Promise<ReadQueuePolicyResult | ApplyQueuePolicyResult> => {
      const fields = eventObject(event);
      const operation = unlockOperation(fields);
      const accountId = validateAccountId(fields.accountId);
      const settings = runtime();
      const queue = locateQueue(fields.queueUrl, accountId, {
        partition: settings.partition,
        ...(settings.loopbackRegion === undefined ? {} : { loopbackRegion: settings.loopbackRegion }),
      });
      const { queueUrl } = queue;
      if (operation === 'READ') {
        return withRootSession(settings, accountId, TASK, async (session) => {
          const snapshot = await readQueuePolicy(session.sqs(queue.region), queue, settings.partition);
          return { accountId, queueUrl, ...snapshot, sessionAccessKeyId: session.accessKeyId };
        });
      }
      const input = applyUnlockInput(fields, 'SQS_QUEUE');
      return withRootSession(settings, accountId, TASK, async (session) => ({
        accountId,
        queueUrl,
        outcome: await applyQueuePolicyUnlock(session.sqs(queue.region), queue, input, settings.partition),
        sessionAccessKeyId: session.accessKeyId,
      }));
    },
  );
}

export const handler = createUnlockSqsHandler();
