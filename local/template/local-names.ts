import { UnsupportedTemplateError, type TokenResolver } from './intrinsics';

/**
 * The local stand-ins for what CloudFormation would return for `Ref` and
 * `Fn::GetAtt`: every resource keeps its logical id as its physical name
 * (unless the template names it, or the caller overrides the name), so the
 * names are stable between runs and readable in logs.
 */
export interface LocalNameOptions {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  /** Physical names by logical id (e.g. the local results table name). */
  readonly physicalNames?: Readonly<Record<string, string>>;
  /** Values of template parameters (otherwise their Default). */
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateJson {
  readonly Resources?: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: unknown }>;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Name properties by resource type: a name set in the template wins over the logical id. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Logs::LogGroup': 'LogGroupName',
};

export class LocalNames implements TokenResolver {
  readonly partition: string;

  constructor(
    private readonly template: TemplateJson,
    private readonly options: LocalNameOptions,
  ) {
    this.partition = partitionOf(options.region);
  }

  resource(logicalId: string): TemplateResource {
    const resource = this.template.Resources?.[logicalId];
    if (resource === undefined)
      throw new UnsupportedTemplateError(`no resource ${logicalId} in the template`);
    return resource;
  }

  /** The local physical name of a resource. */
  nameOf(logicalId: string): string {
    const override = this.options.physicalNames?.[logicalId];
    if (override !== undefined) return override;
    const resource = this.resource(logicalId);
    const property = NAME_PROPERTY[resource.Type];
    const named = property === undefined ? undefined : resource.Properties?.[property];
    if (typeof named === 'string') return named;
    // S3 bucket names are lower case; every other service accepts the logical id.
    return resource.Type === 'AWS::S3::Bucket' ? logicalId.toLowerCase() : logicalId;
  }

  arnOf(logicalId: string): string {
    const { region, accountId } = this.options;
    const p = this.partition;
    const name = this.nameOf(logicalId);
    const type = this.resource(logicalId).Type;
    switch (type) {
      case 'AWS::Lambda::Function':
        return `arn:${p}:lambda:${region}:${accountId}:function:${name}`;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        return `arn:${p}:dynamodb:${region}:${accountId}:table/${name}`;
      case 'AWS::StepFunctions::StateMachine':
        return `arn:${p}:states:${region}:${accountId}:stateMachine:${name}`;
      case 'AWS::Events::EventBus':
        return `arn:${p}:events:${region}:${accountId}:event-bus/${name}`;
      case 'AWS::Events::Rule':
        return `arn:${p}:events:${region}:${accountId}:rule/${name}`;
      case 'AWS::SQS::Queue':
        return `arn:${p}:sqs:${region}:${accountId}:${name}`;
      case 'AWS::SNS::Topic':
        return `arn:${p}:sns:${region}:${accountId}:${name}`;
      case 'AWS::IAM::Role':
        return `arn:${p}:iam::${accountId}:role/${name}`;
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${p}:iam::${accountId}:policy/${name}`;
      case 'AWS::S3::Bucket':
        return `arn:${p}:s3:::${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:${p}:logs:${region}:${accountId}:log-group:${name}:*`;
      default: {
        const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
        return `arn:${p}:${service}:${region}:${accountId}:${name}`;
      }
    }
  }

  ref(logicalId: string): string {
    const { region, accountId, stackName } = this.options;
    switch (logicalId) {
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::Region':
        return region;
      case 'AWS::AccountId':
        return accountId;
      case 'AWS::URLSuffix':
        return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::StackName':
        return stackName;
      case 'AWS::StackId':
        return `arn:${this.partition}:cloudformation:${region}:${accountId}:stack/${stackName}/local`;
    }
    const parameter = this.template.Parameters?.[logicalId];
    if (parameter !== undefined) {
      const value = this.options.parameters?.[logicalId] ?? parameter.Default;
      if (typeof value !== 'string') {
        throw new UnsupportedTemplateError(`parameter ${logicalId} has no value and no default`);
      }
      return value;
    }
    const type = this.resource(logicalId).Type;
    switch (type) {
      // Ref returns the ARN for these types, the name for the others.
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::SNS::Topic':
      case 'AWS::IAM::ManagedPolicy':
        return this.arnOf(logicalId);
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${accountId}/${this.nameOf(logicalId)}`;
      default:
        return this.nameOf(logicalId);
    }
  }

  getAtt(logicalId: string, attribute: string): string {
    switch (attribute) {
      case 'Arn':
        return this.arnOf(logicalId);
      case 'Name':
      case 'QueueName':
      case 'TopicName':
      case 'RoleId':
        return this.nameOf(logicalId);
      case 'QueueUrl':
        return this.ref(logicalId);
      case 'FunctionUrl':
        // The URL Lambda would give; the local stack serves it on loopback and puts that in its outputs.
        return `https://${this.nameOf(logicalId).toLowerCase()}.lambda-url.${this.options.region}.on.aws/`;
      default:
        throw new UnsupportedTemplateError(
          `Fn::GetAtt ${logicalId}.${attribute} (${this.resource(logicalId).Type}) has no local value`,
        );
    }
  }
}
