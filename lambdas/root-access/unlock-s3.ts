import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { callAws, hasAwsErrorCode, toDomainError } from './aws-error-mapping';
import type { ApplyUnlockInput, PolicySnapshot, UnlockOutcome } from './policy-digest';
import { applyPolicyUnlock, readPolicySnapshot, type ResourcePolicy } from './policy-unlock';
import type { Partition } from './task-policies';

/*
 * Bucket policies, in a root session with task S3UnlockBucketPolicy. The S3
 * client must be built for the bucket's region, or follow S3's region
 * redirects (RootSession.s3 does): the task policy has no
 * s3:GetBucketLocation to look the region up.
 */

export function bucketArn(bucketName: string, partition: Partition = 'aws'): string {
  return `arn:${partition}:s3:::${bucketName}`;
}

function bucketPolicy(s3: S3Client, bucketName: string, partition: Partition): ResourcePolicy {
  return {
    resourceArn: bucketArn(bucketName, partition),
    async read() {
      try {
        const response = await s3.send(new GetBucketPolicyCommand({ Bucket: bucketName }));
        return response.Policy ?? null;
      } catch (error) {
        if (hasAwsErrorCode(error, 'NoSuchBucketPolicy')) return null;
        throw toDomainError(error, 's3:GetBucketPolicy');
      }
    },
    async delete() {
      await callAws('s3:DeleteBucketPolicy', () =>
        s3.send(new DeleteBucketPolicyCommand({ Bucket: bucketName })),
      );
    },
    async replace(policy) {
      await callAws('s3:PutBucketPolicy', () =>
        s3.send(new PutBucketPolicyCommand({ Bucket: bucketName, Policy: policy })),
      );
    },
  };
}

/** The bucket's policy as stored (null when it has none) and its digest. */
export async function readBucketPolicy(
  s3: S3Client,
  bucketName: string,
  partition: Partition = 'aws',
): Promise<PolicySnapshot> {
  return readPolicySnapshot(bucketPolicy(s3, bucketName, partition));
}

/**
 * Deletes or replaces the bucket's policy, after checking that it is still
 * the one that was backed up. Deleting an absent policy changes nothing.
 */
export async function applyBucketPolicyUnlock(
  s3: S3Client,
  bucketName: string,
  input: ApplyUnlockInput,
  partition: Partition = 'aws',
): Promise<UnlockOutcome> {
  return applyPolicyUnlock(bucketPolicy(s3, bucketName, partition), input);
}
