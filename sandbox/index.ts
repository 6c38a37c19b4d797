/**
 * Rootkeeper's sandbox: an emulated AWS organization on loopback speaking the real wire protocols
 * of STS, IAM, Organizations, S3 and SQS. It imports no product code: it is an independent oracle.
 */
import type { AddressInfo } from 'node:net';
import type { AdminControls } from './admin';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import { buildWorld } from './build-world';
import type { SandboxClock } from './clock';
import { createClock } from './clock';
import type { CredentialsFixture, GenerateOptions, OrganizationFixture } from './fixture';
import { generateOrganization } from './generate';
import type { FaultOptions, LatencyOptions, QuotaOptions } from './load';
import { FaultInjector, createLatency, createQuotas } from './load';
import type { SandboxMetrics } from './metrics';
import { createMetrics } from './metrics';
import { SecurityHubEmulator } from './securityhub';
import { createSandboxServer } from './server';
import type { SandboxState } from './state';
import { createState } from './state';

export * from './fixture';
export type { Account, Bucket, MfaDevice, Queue, RootCredentials, RootTask } from './model';
export type { FaultOptions, LatencyOptions, LatencySpec, QuotaOptions, QuotaSpec } from './load';
export type { CallCount, CallFilter, MetricsSummary, Outcome, SandboxMetrics } from './metrics';
export type { OrganizationView, SandboxState, SessionView } from './state';
export type { SandboxClock } from './clock';
export type { AdminStateSnapshot } from './admin';
export { startSandboxProcess, type SandboxProcess } from './own-process';
export { denyAllPolicy, generateOrganization } from './generate';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. The sandbox listens on 127.0.0.1 only. */
  port?: number;
  /** The default region (queues and buckets without one, requests without a scope). Default us-east-1. */
  region?: string;
  /** A declarative organization, or a seeded generated one. Default: 25 generated accounts, seed 1. */
  organization?: OrganizationFixture | { generate: GenerateOptions };
  latency?: LatencyOptions;
  quotas?: QuotaOptions;
  faults?: FaultOptions;
  /** A clock to share, or the time the sandbox clock starts at. Default: wall time. */
  clock?: SandboxClock | Date | number;
  /** Seed of the latency draws. Default 1. */
  seed?: number;
  /**
   * 'aws' (default): queue URLs https://sqs.<region>.amazonaws.com/<account>/<name>, as AWS answers;
   * 'endpoint': <sandbox endpoint>/<account>/<name>, for clients configured only through AWS_ENDPOINT_URL.
   */
  sqsQueueUrls?: 'aws' | 'endpoint';
}

/** What a client needs to reach a running sandbox, in this process or another (own-process.ts). */
export interface SandboxConnection {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  region: string;
  managementAccountId: string;
  managementCredentials: CredentialsFixture;
  /** The delegated administrator for iam.amazonaws.com, when the fixture names one. */
  delegatedAdministratorAccountId?: string;
  /** Its credentials. */
  delegatedAdministratorCredentials?: CredentialsFixture;
  /** The admin HTTP API's base URL (<endpoint>/__sandbox/), see sandbox/README.md. */
  adminUrl: string;
  close(): Promise<void>;
}

export interface Sandbox extends SandboxConnection {
  state: SandboxState;
  metrics: SandboxMetrics;
  clock: SandboxClock;
  /** AWS Security Hub: its findings (the truth) and a throttling switch. */
  securityHub: SecurityHubEmulator;
  /** Replace the fault injection rates (a new seed restarts the draws). */
  setFaults(faults: FaultOptions): void;
  /** Replace the latency distributions (undefined: none). */
  setLatency(latency: LatencyOptions | undefined): void;
  /** Replace the token-bucket quotas (undefined: none); buckets start full. */
  setQuotas(quotas: QuotaOptions | undefined): void;
}

const isClock = (value: SandboxOptions['clock']): value is SandboxClock =>
  typeof value === 'object' && !(value instanceof Date);

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const region = options.region ?? 'us-east-1';
  const source = options.organization ?? { generate: { accounts: 25, seed: 1 } };
  const fixture = 'generate' in source ? generateOrganization(source.generate) : source;
  const clock = isClock(options.clock) ? options.clock : createClock(options.clock);
  const world = buildWorld(fixture, region, clock.now());
  const metrics = createMetrics();
  const faults = new FaultInjector(options.faults);
  const state = createState(world, region);
  let latency = options.latency;
  let quotas = options.quotas;
  let drawLatency = createLatency(latency, options.seed ?? 1);
  let takeToken = createQuotas(quotas, clock);
  const setLatency = (next: LatencyOptions | undefined): void => {
    latency = next;
    drawLatency = createLatency(next, options.seed ?? 1);
  };
  const setQuotas = (next: QuotaOptions | undefined): void => {
    quotas = next;
    takeToken = createQuotas(next, clock);
  };
  const controls: AdminControls = {
    state,
    metrics,
    clock,
    load: () => ({ latency: latency ?? null, quotas: quotas ?? null, faults: faults.current }),
    setLatency,
    setQuotas,
    setFaults: (next) => faults.set(next),
  };
  let endpoint = '';
  const securityHub = new SecurityHubEmulator(world, clock, region);
  const server = createSandboxServer({
    securityHub,
    world,
    clock,
    region,
    metrics,
    faults,
    takeToken: (service, account) => takeToken(service, account),
    latency: (service) => drawLatency(service),
    queueUrlStyle: options.sqsQueueUrls ?? 'aws',
    endpoint: () => endpoint,
    admin: (method, path, body) => handleAdmin(controls, method, path, body),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}`;
  const credentialsOf = (accountId: string): CredentialsFixture | undefined => {
    const found = [...world.credentials].find(([, c]) => c.accountId === accountId);
    return found && { accessKeyId: found[0], secretAccessKey: found[1].secretAccessKey };
  };
  const delegated = [...world.organization.delegatedAdministrators][0];
  const delegatedCredentials = delegated === undefined ? undefined : credentialsOf(delegated);
  return {
    endpoint,
    port,
    region,
    managementAccountId: world.organization.managementAccountId,
    managementCredentials: credentialsOf(world.organization.managementAccountId) ?? {
      accessKeyId: '',
      secretAccessKey: '',
    },
    ...(delegated === undefined ? {} : { delegatedAdministratorAccountId: delegated }),
    ...(delegatedCredentials ? { delegatedAdministratorCredentials: delegatedCredentials } : {}),
    state,
    metrics,
    clock,
    securityHub,
    setFaults: (next) => faults.set(next),
    setLatency,
    setQuotas,
    adminUrl: `${endpoint}${ADMIN_PREFIX}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
