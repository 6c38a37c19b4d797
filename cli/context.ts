import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SFNClient } from '@aws-sdk/client-sfn';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsCall } from './aws-call';
import type { PromptFn } from './confirm';
import { readLocalConfig, type LocalConfig, type LocalService } from './local-config';
import { Output, type OutputFormat, type Streams } from './output';
import { DEFAULT_STACK_NAME, describeStackOutputs, missingStackError, StackOutputs } from './stack-outputs';
import { isLoopbackUrl } from '../lambdas/root-access/loopback';

/**
 * Everything a command needs from outside: AWS clients, the stack's outputs,
 * the caller's identity and the terminal. Credentials, profile, region and
 * endpoints come from the SDK's default chain (AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, SSO, ...), as in every AWS
 * tool; --local swaps in the local stack's endpoints, credentials and outputs.
 */

export interface GlobalOptions {
  readonly profile?: string;
  readonly region?: string;
  readonly stackName: string;
  readonly local: boolean;
  readonly output: OutputFormat;
  readonly debug?: boolean;
  readonly endpointUrl?: string;
}

/** Where Ctrl-C comes from: the process, or a test's emitter. */
export interface SignalSource {
  once(event: 'SIGINT', listener: () => void): unknown;
  removeListener(event: 'SIGINT', listener: () => void): unknown;
}

export interface Environment {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly streams: Streams;
  readonly stdinIsTTY: boolean;
  readonly prompt?: PromptFn;
  readonly now: () => Date;
  readonly signals?: SignalSource;
}

const LOCAL_POLL_MS = 200;
const AWS_POLL_MS = 2_000;

interface ClientConfig {
  region?: string;
  profile?: string;
  endpoint?: string;
  credentials?: LocalConfig['credentials'];
}

export class CliContext {
  readonly out: Output;
  readonly local: LocalConfig | undefined;
  private readonly clients = new Map<string, { destroy(): void }>();
  private outputsPromise: Promise<StackOutputs | undefined> | undefined;
  private callerPromise: Promise<string> | undefined;

  constructor(
    readonly options: GlobalOptions,
    readonly environment: Environment,
    out?: Output,
  ) {
    this.out = out ?? new Output(options.output, environment.streams, environment.env);
    this.local = options.local ? readLocalConfig(environment.env, environment.cwd) : undefined;
  }

  /**
   * The same context (clients, stack outputs, caller) writing to another
   * output: one part of a command that runs several.
   */
  withOutput(out: Output): CliContext {
    const part = Object.create(this) as CliContext;
    Object.defineProperty(part, 'out', { value: out });
    return part;
  }

  private config(service: LocalService): ClientConfig {
    const config: ClientConfig = {};
    // AWS_REGION is what the SDK would read itself; reading it from our
    // environment keeps the context testable in process.
    const region =
      this.options.region ??
      this.local?.region ??
      (this.local ? 'us-east-1' : undefined) ??
      (this.environment.env.AWS_REGION || undefined);
    if (region !== undefined) config.region = region;
    if (this.options.profile !== undefined) config.profile = this.options.profile;
    // --endpoint-url, as in the AWS CLI: every client of this command goes there.
    if (this.options.endpointUrl !== undefined && this.local === undefined)
      config.endpoint = this.options.endpointUrl;
    if (this.local !== undefined) {
      const endpoint = this.local.endpoints[service];
      if (endpoint !== undefined) config.endpoint = endpoint;
      if (this.local.credentials !== undefined) config.credentials = this.local.credentials;
    }
    return config;
  }

  private client<T extends { destroy(): void }>(key: string, create: () => T): T {
    const existing = this.clients.get(key) as T | undefined;
    if (existing !== undefined) return existing;
    const created = create();
    this.clients.set(key, created);
    return created;
  }

  get sfn(): SFNClient {
    return this.client('sfn', () => new SFNClient(this.config('sfn')));
  }
  get ddb(): DynamoDBDocumentClient {
    return this.client('ddb', () => DynamoDBDocumentClient.from(new DynamoDBClient(this.config('dynamodb'))));
  }
  get cfn(): CloudFormationClient {
    return this.client('cfn', () => new CloudFormationClient(this.config('cloudformation')));
  }
  get iam(): IAMClient {
    return this.client('iam', () => new IAMClient(this.config('iam')));
  }
  get organizations(): OrganizationsClient {
    return this.client('organizations', () => new OrganizationsClient(this.config('organizations')));
  }
  get sts(): STSClient {
    return this.client('sts', () => new STSClient(this.config('sts')));
  }

  /** The region the clients use, resolved the way the SDK resolves it. */
  async region(): Promise<string> {
    return this.sfn.config.region();
  }

  get pollIntervalMs(): number {
    const configured = Number(this.environment.env.ROOTKEEPER_POLL_INTERVAL_MS);
    if (Number.isFinite(configured) && configured > 0) return configured;
    return this.local !== undefined ? LOCAL_POLL_MS : AWS_POLL_MS;
  }

  /** Columns the compact tables may use: the terminal's, at least 80 (and 80 when piped). */
  get terminalWidth(): number {
    const columns = (this.environment.streams.stdout as { columns?: number }).columns;
    return typeof columns === 'number' && columns > 80 ? columns : 80;
  }

  /** --debug: raw causes and stack traces as well as the plain words. */
  get debug(): boolean {
    return this.options.debug === true;
  }

  /**
   * A rootkeeper command to print as advice (watch, undo), with the global
   * flags that chose this stack, so that it can be pasted as it is.
   */
  commandLine(rest: string): string {
    const quote = (value: string) =>
      /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
    const globals = [
      ...(this.options.local ? ['--local'] : []),
      ...(this.options.profile !== undefined ? ['--profile', quote(this.options.profile)] : []),
      ...(this.options.region !== undefined ? ['--region', quote(this.options.region)] : []),
      ...(this.options.stackName !== DEFAULT_STACK_NAME
        ? ['--stack-name', quote(this.options.stackName)]
        : []),
    ];
    return ['rootkeeper', ...globals, rest].join(' ');
  }

  /** Whether requests go to a loopback endpoint (the local stack), where queue URLs are http://127.0.0.1/... */
  get loopback(): boolean {
    if (this.local !== undefined) return true;
    const { env } = this.environment;
    // The functions' rule: a plain-HTTP queue URL is accepted by both or by neither.
    return [env.AWS_ENDPOINT_URL, env.AWS_ENDPOINT_URL_SQS].some(
      (url) => url !== undefined && isLoopbackUrl(url),
    );
  }

  /** The stack's outputs, or undefined when the stack is not deployed. */
  async findOutputs(): Promise<StackOutputs | undefined> {
    this.outputsPromise ??= this.loadOutputs();
    return this.outputsPromise;
  }

  async outputs(): Promise<StackOutputs> {
    const outputs = await this.findOutputs();
    if (outputs === undefined) throw missingStackError(this.options.stackName, await this.region());
    return outputs;
  }

  private async loadOutputs(): Promise<StackOutputs | undefined> {
    if (this.local !== undefined)
      return new StackOutputs(this.local.outputs, `the local stack (${this.local.file})`);
    return describeStackOutputs(this.cfn, this.options.stackName, await this.region());
  }

  /** Who is asking: the caller's ARN, recorded as requestedBy in every run. */
  async requestedBy(): Promise<string> {
    this.callerPromise ??= awsCall('sts:GetCallerIdentity', () =>
      this.sts.send(new GetCallerIdentityCommand({})),
    ).then((identity) => identity.Arn ?? 'unknown');
    return this.callerPromise;
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
