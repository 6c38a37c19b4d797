import type { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import type { WorkflowProps } from './secure-new-account';
import { UnlockResourcePolicy } from './unlock-resource-policy';

/** Unlock S3 bucket policy: see unlockResourcePolicyDefinition. */
export class UnlockS3BucketPolicy extends UnlockResourcePolicy {
  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id, props, {
      workflow: WORKFLOWS.unlockS3BucketPolicy.name,
      validationTask: 'UNLOCK_S3_BUCKET_POLICY',
      fn: props.functions.unlockS3BucketPolicy,
      resourceField: 'bucketName',
      resourceType: 'S3_BUCKET',
      noun: 'bucket policy',
      comment:
        'Unlock S3 bucket policy: back up, then delete or replace a bucket policy that locks everyone out',
    });
  }
}
