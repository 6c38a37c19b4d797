import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from './function-catalog';

/** The repository root: catalog entries are relative to it. */
const REPOSITORY_ROOT = path.resolve(__dirname, '..');

/** Every function's defaults, in one place. */
const LAMBDA_DEFAULTS = {
  // The newest Node.js runtime aws-cdk-lib names (not NODEJS_LATEST, which
  // moves with aws-cdk-lib upgrades and would redeploy every function silently).
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  logRetention: logs.RetentionDays.THREE_MONTHS,
  serviceName: 'rootkeeper',
} as const;

export interface FunctionWithDefaultsProps {
  readonly spec: FunctionSpec;
  /** Upper bound of the run time; lowered to the root session duration when that is shorter. */
  readonly timeout: Duration;
  /** AssumeRoot DurationSeconds when configured: the function must end before its session does. */
  readonly rootSessionDurationSeconds?: number;
  readonly memorySize?: number;
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * One Lambda function with the service's defaults: runtime, arm64, active
 * tracing, its own log group with retention, JSON logs, a role that can only
 * write to that log group, and local esbuild bundling (no Docker).
 */
export class FunctionWithDefaults extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FunctionWithDefaultsProps) {
    super(scope, id);
    const { spec } = props;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LAMBDA_DEFAULTS.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = this.roleWritingOwnLogs(spec);
    const sessionSeconds = props.rootSessionDurationSeconds;
    const timeout =
      sessionSeconds !== undefined && sessionSeconds < props.timeout.toSeconds()
        ? Duration.seconds(sessionSeconds)
        : props.timeout;
    const common: lambda.FunctionOptions = {
      description: spec.description,
      architecture: LAMBDA_DEFAULTS.architecture,
      memorySize: props.memorySize ?? LAMBDA_DEFAULTS.memorySize,
      timeout,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      role: this.role,
      environment: {
        POWERTOOLS_SERVICE_NAME: LAMBDA_DEFAULTS.serviceName,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    };
    this.function = this.bundledFunction(spec, common);
  }

  /**
   * An own role instead of AWSLambdaBasicExecutionRole: logs go to this one
   * log group only, and every other permission is granted explicitly.
   */
  private roleWritingOwnLogs(spec: FunctionSpec): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rootkeeper ${spec.id}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    return role;
  }

  private bundledFunction(spec: FunctionSpec, common: lambda.FunctionOptions): lambda.Function {
    // Tests and the local runner synthesize without bundling (and possibly
    // before the handler exists): the template is the same but for the code.
    return Stack.of(this).bundlingRequired
      ? new nodejs.NodejsFunction(this, 'Function', {
          ...common,
          runtime: LAMBDA_DEFAULTS.runtime,
          entry: path.join(REPOSITORY_ROOT, spec.entry),
          handler: 'handler',
          projectRoot: REPOSITORY_ROOT,
          depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
          bundling: {
            forceDockerBundling: false,
            minify: true,
            // Error names are class names (Step Functions matches Retry and
            // Catch on them): minifying must not rename classes.
            keepNames: true,
            sourceMap: true,
            // Bundle the pinned SDK versions instead of the runtime's copy.
            externalModules: [],
          },
        })
      : new lambda.Function(this, 'Function', {
          ...common,
          runtime: LAMBDA_DEFAULTS.runtime,
          handler: 'index.handler',
          code: lambda.Code.fromInline('exports.handler = async () => { throw new Error("not bundled"); };'),
        });
  }
}
