/**
 * The audit the published scripts run on one account: AssumeRoot with the
 * audit task policy, then GetLoginProfile, ListAccessKeys,
 * ListSigningCertificates and ListMFADevices on the root user (no UserName).
 */
import {
  GetLoginProfileCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListSigningCertificatesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { AssumeRootCommand, type STSClient } from '@aws-sdk/client-sts';
import type { Agent } from 'node:http';
import type { PostureFlags } from '../types';
import type { StrategyContext, Tally } from './context';

const AUDIT_POLICY_ARN = 'arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials';

export interface AuditOptions {
  /** The four list calls one after another (a shell loop) or at once (a burst). */
  readonly parallelListCalls: boolean;
  /**
   * Past the time limit no new call is started (calls in flight finish
   * within their SDK retries). A flag, not an AbortSignal: one signal shared
   * by 10,000 calls makes every listener add and remove O(n).
   */
  readonly expired?: () => boolean;
  /** Sockets shared by the per-account IAM clients (default: each client its own, as the SDK does). */
  readonly iamAgent?: Agent;
}

/** Thrown instead of starting a call once the time limit has passed. */
class TimeLimitError extends Error {
  override readonly name = 'TimeLimitError';
}

/** Audits one account; undefined when a call failed after its retries (the account is then missing). */
export async function auditByListing(
  context: StrategyContext,
  sts: STSClient,
  accountId: string,
  tally: Tally,
  options: AuditOptions,
): Promise<PostureFlags | undefined> {
  const expired = options.expired ?? (() => false);
  let credentials;
  try {
    if (expired()) throw new TimeLimitError('time limit reached');
    const assumed = await sts.send(
      new AssumeRootCommand({
        TargetPrincipal: accountId,
        TaskPolicyArn: { arn: AUDIT_POLICY_ARN },
        DurationSeconds: 900,
      }),
    );
    tally.attempts(assumed);
    credentials = assumed.Credentials;
  } catch (error) {
    tally.fail(`AssumeRoot ${accountId}`, error);
    return undefined;
  }
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
    tally.fail(`AssumeRoot ${accountId}`, new Error('no credentials'));
    return undefined;
  }
  const iam = new IAMClient({
    endpoint: context.endpoint,
    region: context.region,
    credentials: {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    },
    maxAttempts: context.maxAttempts,
    ...(options.iamAgent ? { requestHandler: { httpAgent: options.iamAgent } } : {}),
  });
  const call = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    try {
      if (expired()) throw new TimeLimitError('time limit reached');
      const answer = await run();
      tally.attempts(answer);
      return answer;
    } catch (error) {
      if (error instanceof NoSuchEntityException) {
        tally.attempts(error);
        throw error;
      }
      tally.fail(`${name} ${accountId}`, error);
      throw error;
    }
  };
  const password = (): Promise<boolean> =>
    call('GetLoginProfile', () => iam.send(new GetLoginProfileCommand({}))).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NoSuchEntityException) return false;
        throw error;
      },
    );
  const keys = async (): Promise<boolean> =>
    ((await call('ListAccessKeys', () => iam.send(new ListAccessKeysCommand({})))).AccessKeyMetadata ?? [])
      .length > 0;
  const certificates = async (): Promise<boolean> =>
    (
      (await call('ListSigningCertificates', () => iam.send(new ListSigningCertificatesCommand({}))))
        .Certificates ?? []
    ).length > 0;
  const mfa = async (): Promise<boolean> =>
    ((await call('ListMFADevices', () => iam.send(new ListMFADevicesCommand({})))).MFADevices ?? []).length >
    0;
  try {
    if (options.parallelListCalls) {
      const [p, k, c, m] = await Promise.all([password(), keys(), certificates(), mfa()]);
      return { passwordPresent: p, accessKeysPresent: k, signingCertificatesPresent: c, mfaEnabled: m };
    }
    const passwordPresent = await password();
    const accessKeysPresent = await keys();
    const signingCertificatesPresent = await certificates();
    const mfaEnabled = await mfa();
    return { passwordPresent, accessKeysPresent, signingCertificatesPresent, mfaEnabled };
  } catch {
    return undefined; // already counted by `call`
  } finally {
    // destroy() would close the shared agent's sockets under every other account.
    if (!options.iamAgent) iam.destroy();
  }
}
