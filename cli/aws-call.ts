import { toAwsCallError } from './exit-codes';

/**
 * Runs one AWS call labelled with its IAM action, so that an AccessDenied
 * whose message does not name the action still tells the engineer which
 * permission to ask for.
 */
export async function awsCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAwsCallError(error, action);
  }
}
