import type { Construct } from 'constructs';
import { WORKFLOWS } from './names';
import type { ApprovalConfig } from '../approvals/approval-config';
import { approvalSettings } from '../approvals/approval-settings';
import type { WorkflowProps } from './secure-new-account';
import { UnlockResourcePolicy } from './unlock-resource-policy';

/** Unlock S3 bucket policy: see unlockResourcePolicyDefinition. */
export class UnlockS3BucketPolicy extends UnlockResourcePolicy {
  constructor(scope: Construct, id: string, props: WorkflowProps & { readonly config?: ApprovalConfig }) {
    super(scope, id, props, {
      workflow: WORKFLOWS.unlockS3BucketPolicy.name,
      validationTask: 'UNLOCK_S3_BUCKET_POLICY',
      fn: props.functions.unlockS3BucketPolicy,
      resourceField: 'bucketName',
      resourceType: 'S3_BUCKET',
      noun: 'bucket policy',
      approval: approvalSettings(props.config, 'unlockS3'),
      comment:
        'Unlock S3 bucket policy: back up, then delete or replace a bucket policy that locks everyone out',
    });
  }
}
