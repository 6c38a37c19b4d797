/**
 * The service stack's name: the CDK app deploys it under this id, the
 * command line reads its outputs by it (unless --stack-name says
 * otherwise), and the local stack answers DescribeStacks for it. No CDK
 * import here: the command line reads it too.
 */
export const ROOTKEEPER_STACK_NAME = 'Rootkeeper';
