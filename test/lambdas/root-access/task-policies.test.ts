import { isRootTask, taskPolicyArn } from '../../../lambdas/root-access/task-policies';

test('task policy ARNs follow the partition', () => {
  expect(taskPolicyArn('S3UnlockBucketPolicy', 'aws-cn')).toBe(
    'arn:aws-cn:iam::aws:policy/root-task/S3UnlockBucketPolicy',
  );
  expect(isRootTask('IAMAuditRootUserCredentials')).toBe(true);
  expect(isRootTask('AdministratorAccess')).toBe(false);
});
