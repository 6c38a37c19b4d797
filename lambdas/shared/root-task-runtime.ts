import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  MAX_ROOT_SESSION_SECONDS,
  openRootSession,
  type RootClientConfig,
  type RootSession,
} from '../root-access/root-session';
import { RootSessionExpiredError } from '../root-access/errors';
import type { Partition, RootTask } from '../root-access/task-policies';
import { booleanVariable, integerVariable, queueUrlOptionsFromEnv, runtimeSettings } from './env';
import { ROOT_SESSION_DURATION_VARIABLE } from './function-variables';
import { logger } from './logger';
import { AWS_CALL_RETRY, auditRetryStrategy } from './retry-budget';

/**
 * What a root-task handler needs besides its event: built once per container
 * from the environment (or given by a test), while every invocation opens
 * its own root session, whose credentials differ each time.
 */
export interface RootTaskRuntime {
  /** Regional STS client: the global endpoint refuses AssumeRoot. */
  readonly sts: STSClient;
  readonly region: string;
  readonly partition: Partition;
  /** ROOT_SESSION_DURATION_SECONDS; unset means the task's default. */
  readonly durationSeconds?: number;
  readonly clientConfig: RootClientConfig;
  /**
   * Set only when AWS_ENDPOINT_URL points at loopback (the local sandbox):
   * then loopback queue URLs are accepted and located in this region.
   */
  readonly loopbackRegion?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export { AWS_CALL_RETRY } from './retry-budget';

/**
 * Keep-alive agents that outlive the clients using them. A session client's
 * destroy() destroys its request handler's agents; the clients of one
 * container share these, so a session's end must not close the sockets
 * another session is using: their destroy() does nothing (the container's
 * end closes them).
 */
class SharedHttpsAgent extends HttpsAgent {
  override destroy(): void {}
}
class SharedHttpAgent extends HttpAgent {
  override destroy(): void {}
}

let sharedAgents: { httpsAgent: HttpsAgent; httpAgent: HttpAgent } | undefined;

/**
 * What every AWS client of a container shares: the retry budget and one pair
 * of keep-alive agents (a root session per account would otherwise open its
 * own TCP and TLS connection). A plain options object, so each client builds
 * its own handler around the shared agents.
 */
export function sharedClientConfig() {
  sharedAgents ??= {
    // No socket cap: a call never queues behind another session's (the SDK's default agents have none either).
    httpsAgent: new SharedHttpsAgent({ keepAlive: true }),
    httpAgent: new SharedHttpAgent({ keepAlive: true }),
  };
  return { ...AWS_CALL_RETRY, requestHandler: { ...sharedAgents } };
}

/**
 * Regional STS: useGlobalEndpoint false, so even AWS_STS_REGIONAL_ENDPOINTS=legacy
 * does not send AssumeRoot to sts.amazonaws.com. The endpoint itself is left
 * to the SDK, which honours AWS_ENDPOINT_URL.
 */
function regionalSts(region: string, retry: Partial<STSClientConfig> = {}): STSClient {
  return new STSClient({ region, useGlobalEndpoint: false, ...sharedClientConfig(), ...retry });
}

/**
 * The runtime with the organization audit's backoff (retry-budget.ts,
 * auditRetryStrategy) on AssumeRoot and on every session client: the
 * audit's calls are retried when the quota has a token again, not after the
 * SDK's throttling backoff.
 */
export function withAuditBackoff(runtime: RootTaskRuntime): RootTaskRuntime {
  return {
    ...runtime,
    sts: regionalSts(runtime.region, { retryStrategy: auditRetryStrategy() }),
    clientConfig: { ...runtime.clientConfig, retryStrategy: auditRetryStrategy() },
  };
}

export function rootTaskRuntimeFromEnv(env: Env = process.env): RootTaskRuntime {
  const { region, partition } = runtimeSettings(env);
  const durationSeconds = integerVariable(env, ROOT_SESSION_DURATION_VARIABLE, {
    min: 1,
    max: MAX_ROOT_SESSION_SECONDS,
  });
  const { loopbackRegion } = queueUrlOptionsFromEnv(env);
  return {
    sts: regionalSts(region),
    region,
    partition,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    // Each session client builds its own retry strategy, so its retry quota is
    // its own; the keep-alive agents are the container's.
    clientConfig: { ...sharedClientConfig(), forcePathStyle: booleanVariable(env, 'S3_FORCE_PATH_STYLE') },
    ...(loopbackRegion === undefined ? {} : { loopbackRegion }),
  };
}

let containerRuntime: RootTaskRuntime | undefined;

/** The environment is read, and the STS client built, once per container, on first use. */
export function containerRootTaskRuntime(): RootTaskRuntime {
  containerRuntime ??= rootTaskRuntimeFromEnv();
  return containerRuntime;
}

export type RuntimeProvider = () => RootTaskRuntime;

/**
 * The level of a session's "root session opened" line. The read-only audit
 * records its session's key id in the account's run record
 * (sessionAccessKeyIds), so CloudTrail correlation needs no log line, and
 * one line a member account was the organization audit's largest log
 * volume: DEBUG. Sessions that change something are logged at INFO as well.
 */
export function sessionLogLevel(task: RootTask): 'debug' | 'info' {
  return task === 'IAMAuditRootUserCredentials' ? 'debug' : 'info';
}

/**
 * Opens a root session for one task, runs `work` in it, and releases the
 * session's clients. Only the session's access key id is logged.
 */
export async function withRootSession<T>(
  runtime: RootTaskRuntime,
  accountId: string,
  task: RootTask,
  work: (session: RootSession) => Promise<T>,
): Promise<T> {
  const session = await openRootSession({
    sts: runtime.sts,
    accountId,
    task,
    partition: runtime.partition,
    region: runtime.region,
    clientConfig: runtime.clientConfig,
    ...(runtime.durationSeconds === undefined ? {} : { durationSeconds: runtime.durationSeconds }),
  });
  const opened = {
    accountId,
    task,
    sessionAccessKeyId: session.accessKeyId,
    durationSeconds: session.durationSeconds,
  };
  if (sessionLogLevel(task) === 'debug') logger.debug('root session opened', opened);
  else logger.info('root session opened', opened);
  try {
    return await work(session);
  } finally {
    session.dispose();
  }
}

/** A root session that replaced one that expired, recorded with both key ids and why. */
export interface ReopenedSession {
  readonly expiredSessionAccessKeyId: string;
  readonly sessionAccessKeyId: string;
  readonly reason: string;
}

export interface WorkInSessions<T> {
  readonly result: T;
  /** The first session's access key id. */
  readonly sessionAccessKeyId: string;
  /** Empty unless the first session expired and another one finished the work. */
  readonly sessionsReopened: readonly ReopenedSession[];
}

/**
 * Like withRootSession, but when the session expires during `work` (a long
 * delete under heavy throttling), opens one more session and runs `work`
 * again from the start, so `work` must be idempotent (the delete is: it lists
 * again, and what is gone counts as gone). Both sessions are returned, for
 * CloudTrail correlation; a second expiry is thrown for Step Functions to
 * retry.
 */
export async function withRootSessionReopenedOnExpiry<T>(
  runtime: RootTaskRuntime,
  accountId: string,
  task: RootTask,
  work: (session: RootSession) => Promise<T>,
): Promise<WorkInSessions<T>> {
  let first: string | undefined;
  try {
    const result = await withRootSession(runtime, accountId, task, (session) => {
      first = session.accessKeyId;
      return work(session);
    });
    return { result, sessionAccessKeyId: session(first), sessionsReopened: [] };
  } catch (error) {
    if (!(error instanceof RootSessionExpiredError) || first === undefined) throw error;
    const expired = first;
    const reason = `${error.name}: ${error.message}`;
    let reopened: ReopenedSession | undefined;
    const result = await withRootSession(runtime, accountId, task, (next) => {
      reopened = { expiredSessionAccessKeyId: expired, sessionAccessKeyId: next.accessKeyId, reason };
      logger.warn('root session expired during the task, reopened', { accountId, task, ...reopened });
      return work(next);
    });
    return {
      result,
      sessionAccessKeyId: expired,
      sessionsReopened: reopened === undefined ? [] : [reopened],
    };
  }
}

function session(keyId: string | undefined): string {
  if (keyId === undefined) throw new Error('no root session was opened');
  return keyId;
}
