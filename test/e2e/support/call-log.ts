import type { IncomingHttpHeaders } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** One call, in the order it happened across the sandbox and the results table. */
export interface LoggedCall {
  /** `s3`, `sqs`, `sts`… from the request's credential scope; `dynamodb` for the table. */
  readonly service: string;
  /** The operation: DeleteBucketPolicy, SetQueueAttributes, PutItem… (query-protocol calls: method and path). */
  readonly operation: string;
  /** For S3: the bucket; for SQS (JSON): the queue URL; for the table: the item's PK and SK. */
  readonly target: string;
}

/** S3's bucket policy calls, by method, on `/<bucket>?policy` (path-style addressing). */
const S3_POLICY_OPERATIONS: Record<string, string> = {
  GET: 'GetBucketPolicy',
  PUT: 'PutBucketPolicy',
  DELETE: 'DeleteBucketPolicy',
};

/**
 * One ordered log of what reached the sandbox and what the local Step
 * Functions runner wrote to the results table, for tests about order (a
 * backup written before the policy it saves is deleted). Both sides are in
 * this process, so one array orders them: a sandbox call is logged when its
 * request reaches the recording proxy in front of the sandbox, a table write
 * when DynamoDB has acknowledged it.
 */
export class CallLog {
  readonly calls: LoggedCall[] = [];

  /** Logs a request on its way to the sandbox, read from its method, path and headers. */
  logSandboxRequest(method: string, url: string, headers: IncomingHttpHeaders): void {
    const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''));
    const service = scope?.[1] ?? 'unknown';
    const target = headers['x-amz-target'];
    const [path = '', query = ''] = url.split('?');
    if (typeof target === 'string') {
      this.calls.push({ service, operation: target.split('.').at(-1) ?? target, target: '' });
    } else if (service === 's3' && /(^|&)policy(=|&|$)/.test(query)) {
      const bucket = decodeURIComponent(path.split('/')[1] ?? '');
      this.calls.push({ service, operation: S3_POLICY_OPERATIONS[method] ?? method, target: bucket });
    } else {
      this.calls.push({ service, operation: `${method} ${path}`, target: '' });
    }
  }

  /** Logs every write the client makes, once DynamoDB has acknowledged it. */
  recordTableWrites(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Item?: Record<string, { S?: string }> };
        if (context.commandName === 'PutItemCommand') {
          this.calls.push({
            service: 'dynamodb',
            operation: 'PutItem',
            target: `${input.Item?.PK?.S ?? ''} ${input.Item?.SK?.S ?? ''}`,
          });
        }
        return result;
      },
      { step: 'initialize', name: 'rootkeeperTestCallLog' },
    );
  }

  /** The position of the first call matching, or -1. */
  indexOf(match: (call: LoggedCall) => boolean): number {
    return this.calls.findIndex(match);
  }
}
