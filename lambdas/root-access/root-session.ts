import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRootCommand, type STSClient } from '@aws-sdk/client-sts';
import { callAws } from './aws-error-mapping';
import { InvalidInputError, RootAccessDeniedError } from './errors';
import { taskPolicyArn, type Partition, type RootTask } from './task-policies';

/** AssumeRoot refuses anything longer (ValidationError); we refuse it first. */
export const MAX_ROOT_SESSION_SECONDS = 900;

/**
 * The shortest session that covers each task, SDK retries included. Audit,
 * recovery and the unlock operations are a handful of calls; delete runs up
 * to ~30 (2 keys, 2 certificates, 8 MFA devices deactivated and deleted, two
 * listings) with SDK backoff between throttled attempts, and a session that
 * expires halfway leaves a half-cleaned account to resume, so it gets more.
 * An audit is one to seven read calls: a minute covers them with the
 * organization audit's own backoff (at most 12.7 s a call, retry-budget.ts)
 * and most of one full SDK backoff (at most 71 s for 8 attempts); a session
 * that expires anyway is retried once with a new session.
 */
export const DEFAULT_SESSION_SECONDS: Readonly<Record<RootTask, number>> = {
  IAMAuditRootUserCredentials: 60,
  IAMCreateRootUserPassword: 300,
  IAMDeleteRootUserCredentials: 600,
  S3UnlockBucketPolicy: 300,
  SQSUnlockQueuePolicy: 300,
};

/**
 * Settings passed to every client built from the root session (retries,
 * HTTP handler). `forcePathStyle` and `followRegionRedirects` reach the S3
 * client only. No endpoint: the SDK reads AWS_ENDPOINT_URL itself, so the
 * same code talks to AWS in Lambda and to the sandbox locally.
 */
export interface RootClientConfig {
  readonly maxAttempts?: number;
  readonly retryMode?: IAMClientConfig['retryMode'];
  readonly retryStrategy?: IAMClientConfig['retryStrategy'];
  readonly requestHandler?: IAMClientConfig['requestHandler'];
  readonly forcePathStyle?: boolean;
  readonly followRegionRedirects?: boolean;
}

export interface OpenRootSessionInput {
  /**
   * A regional STS client (`new STSClient({ region, useGlobalEndpoint: false })`):
   * the global endpoint sts.amazonaws.com answers AssumeRoot with an
   * unknown-operation error.
   */
  readonly sts: STSClient;
  readonly accountId: string;
  readonly task: RootTask;
  readonly partition: Partition;
  /** Region of the function: IAM is signed for it, and S3 defaults to it. */
  readonly region: string;
  readonly durationSeconds?: number;
  readonly clientConfig?: RootClientConfig;
}

/**
 * A root session scoped by one task policy. The secret key and session token
 * live only inside the credentials of the clients it builds: nothing here
 * exposes them, so the session can be logged or returned by mistake without
 * leaking them.
 */
export interface RootSession {
  readonly accountId: string;
  readonly task: RootTask;
  /** For CloudTrail correlation; the only part of the credentials ever recorded. */
  readonly accessKeyId: string;
  readonly expiration: Date | undefined;
  readonly durationSeconds: number;
  iam(): IAMClient;
  /** S3 client for the bucket's region (default: the function's region; redirects followed). */
  s3(region?: string): S3Client;
  /** SQS client for the queue's region, taken from the queue URL. */
  sqs(region: string): SQSClient;
  /** Releases the sockets of the clients built so far. */
  dispose(): void;
}

function resolveSessionDuration(task: RootTask, durationSeconds?: number): number {
  const duration = durationSeconds ?? DEFAULT_SESSION_SECONDS[task];
  if (!Number.isInteger(duration) || duration < 1 || duration > MAX_ROOT_SESSION_SECONDS) {
    throw new InvalidInputError(
      'durationSeconds',
      `must be an integer from 1 to ${MAX_ROOT_SESSION_SECONDS} (AssumeRoot's limit), got ${String(duration)}`,
    );
  }
  return duration;
}

interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

export async function openRootSession(input: OpenRootSessionInput): Promise<RootSession> {
  const { sts, accountId, task, partition } = input;
  const durationSeconds = resolveSessionDuration(task, input.durationSeconds);
  const response = await callAws('sts:AssumeRoot', () =>
    sts.send(
      new AssumeRootCommand({
        TargetPrincipal: accountId,
        TaskPolicyArn: { arn: taskPolicyArn(task, partition) },
        DurationSeconds: durationSeconds,
      }),
    ),
  );
  const issued = response.Credentials;
  if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken) {
    throw new RootAccessDeniedError(`sts:AssumeRoot returned no credentials for account ${accountId}`);
  }
  const credentials: SessionCredentials = {
    accessKeyId: issued.AccessKeyId,
    secretAccessKey: issued.SecretAccessKey,
    sessionToken: issued.SessionToken,
    ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
  };
  return buildSession(input, durationSeconds, credentials);
}

function buildSession(
  input: OpenRootSessionInput,
  durationSeconds: number,
  credentials: SessionCredentials,
): RootSession {
  const { forcePathStyle, followRegionRedirects, ...common } = input.clientConfig ?? {};
  const built: { destroy(): void }[] = [];
  const remember = <T extends { destroy(): void }>(client: T): T => {
    built.push(client);
    return client;
  };
  let iamClient: IAMClient | undefined;
  const s3Clients = new Map<string, S3Client>();
  const sqsClients = new Map<string, SQSClient>();

  return {
    accountId: input.accountId,
    task: input.task,
    accessKeyId: credentials.accessKeyId,
    expiration: credentials.expiration,
    durationSeconds,
    iam() {
      iamClient ??= remember(new IAMClient({ ...common, region: input.region, credentials }));
      return iamClient;
    },
    s3(region = input.region) {
      let client = s3Clients.get(region);
      if (!client) {
        client = remember(
          new S3Client({
            ...common,
            region,
            credentials,
            forcePathStyle: forcePathStyle ?? false,
            // The task policy has no s3:GetBucketLocation: let the SDK follow
            // S3's region redirect when the bucket lives elsewhere.
            followRegionRedirects: followRegionRedirects ?? true,
          }),
        );
        s3Clients.set(region, client);
      }
      return client;
    },
    sqs(region) {
      let client = sqsClients.get(region);
      if (!client) {
        // useQueueUrlAsEndpoint off: the endpoint is the queue's regional
        // endpoint (or AWS_ENDPOINT_URL locally), never a host taken from a
        // URL in the request.
        client = remember(new SQSClient({ ...common, region, credentials, useQueueUrlAsEndpoint: false }));
        sqsClients.set(region, client);
      }
      return client;
    },
    dispose() {
      for (const client of built.splice(0)) client.destroy();
    },
  };
}
