import { InvalidInputError } from '../root-access/errors';
import type { UnlockOutcome } from '../root-access/policy-digest';
import { applyBucketPolicyUnlock, readBucketPolicy } from '../root-access/unlock-s3';
import { validateAccountId, validateBucketName } from '../root-access/validation';
import { eventObject, type EventFields } from '../shared/event-fields';
import { wrapHandler } from '../shared/handler';
import { containerRootTaskRuntime, withRootSession, type RuntimeProvider } from '../shared/root-task-runtime';
import { applyUnlockInput, unlockOperation } from '../shared/unlock-event';

export interface ReadBucketPolicyResult {
  readonly accountId: string;
  readonly bucketName: string;
  readonly resourceArn: string;
  readonly policy: string | null;
  readonly policySha256: string | null;
  readonly sessionAccessKeyId: string;
}

export interface ApplyBucketPolicyResult {
  readonly accountId: string;
  readonly bucketName: string;
  readonly outcome: UnlockOutcome;
  readonly sessionAccessKeyId: string;
}

const TASK = 'S3UnlockBucketPolicy';

/**
 * The bucket's region: optional `bucketRegion` in the event, else the
 * function's region. The task policy cannot look it up (no
 * s3:GetBucketLocation); the S3 client follows S3's region redirect when
 * the guess is wrong.
 */
function bucketRegion(fields: EventFields, fallback: string): string {
  const value = fields.bucketRegion;
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/.test(value)) {
    throw new InvalidInputError('bucketRegion', `must be an AWS region name, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * UnlockS3BucketPolicy: READ returns the policy for the workflow to back up;
 * APPLY deletes or replaces it if it is still the one backed up. Each runs
 * in its own short root session.
 */
export function createUnlockS3Handler(runtime: RuntimeProvider = containerRootTaskRuntime) {
  return wrapHandler(
    'UnlockS3BucketPolicy',
    async (event: unknown): Promise<ReadBucketPolicyResult | ApplyBucketPolicyResult> => {
      const fields = eventObject(event);
      const operation = unlockOperation(fields);
      const accountId = validateAccountId(fields.accountId);
      const bucketName = validateBucketName(fields.bucketName);
      const settings = runtime();
      const region = bucketRegion(fields, settings.region);
      if (operation === 'READ') {
        return withRootSession(settings, accountId, TASK, async (session) => {
          const snapshot = await readBucketPolicy(session.s3(region), bucketName, settings.partition);
          return { accountId, bucketName, ...snapshot, sessionAccessKeyId: session.accessKeyId };
        });
      }
      const input = applyUnlockInput(fields, 'S3_BUCKET');
      return withRootSession(settings, accountId, TASK, async (session) => ({
        accountId,
        bucketName,
        outcome: await applyBucketPolicyUnlock(session.s3(region), bucketName, input, settings.partition),
        sessionAccessKeyId: session.accessKeyId,
      }));
    },
  );
}

export const handler = createUnlockS3Handler();
