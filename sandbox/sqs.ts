/** SQS (JSON 1.0 with awsQueryCompatible, AmazonSQS.*): queue lookup and queue attributes. */
import { authorize } from './authorization';
import { validateInput } from './constraints';
import { declaredStatus } from './declared-errors';
import type { RequestContext } from './context';
import { now } from './context';
import type { Queue } from './model';
import { queueKey } from './model';
import { dnsSuffix, partitionOfRegion } from './partition';
import type { Reply } from './protocol';
import { ApiError, commonError, jsonReply } from './protocol';
import { PolicyRejection, validateResourcePolicy } from './resource-policy';

type Body = Record<string, unknown>;
const text = (body: Body, key: string): string | undefined => {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
};

/** A modelled SQS error with the status its model declares. */
const sqsError = (shape: string, message: string, queryCode = shape): ApiError =>
  new ApiError(`com.amazonaws.sqs#${shape}`, message, declaredStatus('sqs', shape), { queryCode });
const noQueue = (): ApiError =>
  sqsError(
    'QueueDoesNotExist',
    'The specified queue does not exist.',
    'AWS.SimpleQueueService.NonExistentQueue',
  );

function queueUrl(ctx: RequestContext, queue: Queue): string {
  return ctx.queueUrlStyle === 'aws'
    ? `https://sqs.${queue.region}.${dnsSuffix(partitionOfRegion(queue.region))}/${queue.account}/${queue.name}`
    : `${ctx.endpoint}/${queue.account}/${queue.name}`;
}

/** Account, region and name from a queue URL (AWS-shaped or pointing at the sandbox). */
function parseQueueUrl(ctx: RequestContext, url: string | undefined) {
  let parsed: URL;
  try {
    parsed = new URL(url ?? '');
  } catch {
    throw sqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  }
  const [account, name, ...rest] = parsed.pathname.split('/').filter(Boolean);
  if (!account || !name || rest.length > 0 || !/^\d{12}$/.test(account)) {
    throw sqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  }
  const host = /^sqs\.([a-z0-9-]+)\.([a-z0-9.-]+)$/.exec(parsed.hostname);
  const region = host?.[1] ?? ctx.region;
  // A queue URL names its region and partition: it is valid only at that region's endpoint.
  if (host && (region !== ctx.region || host[2] !== dnsSuffix(partitionOfRegion(region)))) {
    throw sqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  }
  return { account, region, name };
}

function findQueue(ctx: RequestContext, body: Body, action: string): Queue {
  const { account, region, name } = parseQueueUrl(ctx, text(body, 'QueueUrl'));
  authorize('sqs-json', ctx.caller, `sqs:${action}`, {
    account,
    arn: `arn:${ctx.world.organization.partition}:sqs:${region}:${account}:${name}`,
  });
  const queue = ctx.world.queues.get(queueKey(account, region, name));
  if (!queue) throw noQueue();
  return queue;
}

const DEFAULTS: Record<string, string> = {
  ApproximateNumberOfMessages: '0',
  ApproximateNumberOfMessagesNotVisible: '0',
  ApproximateNumberOfMessagesDelayed: '0',
  VisibilityTimeout: '30',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  DelaySeconds: '0',
  ReceiveMessageWaitTimeSeconds: '0',
  SqsManagedSseEnabled: 'true',
};
const READ_ONLY = new Set([
  'QueueArn',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
]);
const SETTABLE = new Set([
  'Policy',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);

function allAttributes(queue: Queue, partition: string): Record<string, string> {
  const seconds = String(Math.floor(queue.createdTimestamp.getTime() / 1000));
  return {
    QueueArn: `arn:${partition}:sqs:${queue.region}:${queue.account}:${queue.name}`,
    CreatedTimestamp: seconds,
    LastModifiedTimestamp: queue.attributes.LastModifiedTimestamp ?? seconds,
    ...DEFAULTS,
    ...queue.attributes,
  };
}

type Handler = (ctx: RequestContext, body: Body) => Body;

const HANDLERS: Record<string, Handler> = {
  GetQueueUrl: (ctx, body) => {
    const account = text(body, 'QueueOwnerAWSAccountId') ?? ctx.caller.accountId;
    const name = text(body, 'QueueName') ?? '';
    authorize('sqs-json', ctx.caller, 'sqs:GetQueueUrl', {
      account,
      arn: `arn:${ctx.world.organization.partition}:sqs:${ctx.region}:${account}:${name}`,
    });
    const queue = ctx.world.queues.get(queueKey(account, ctx.region, name));
    if (!queue) throw noQueue();
    return { QueueUrl: queueUrl(ctx, queue) };
  },
  ListQueues: (ctx, body) => {
    authorize('sqs-json', ctx.caller, 'sqs:ListQueues');
    const prefix = text(body, 'QueueNamePrefix') ?? '';
    const queues = [...ctx.world.queues.values()].filter(
      (q) => q.account === ctx.caller.accountId && q.region === ctx.region && q.name.startsWith(prefix),
    );
    const max = typeof body.MaxResults === 'number' ? body.MaxResults : undefined;
    const offset = Number(Buffer.from(text(body, 'NextToken') ?? '', 'base64url').toString() || '0');
    const slice = max === undefined ? queues.slice(0, 1000) : queues.slice(offset, offset + max);
    const next = max !== undefined && offset + max < queues.length ? offset + max : undefined;
    if (slice.length === 0) return {};
    return {
      QueueUrls: slice.map((q) => queueUrl(ctx, q)),
      ...(next === undefined ? {} : { NextToken: Buffer.from(String(next)).toString('base64url') }),
    };
  },
  GetQueueAttributes: (ctx, body) => {
    const queue = findQueue(ctx, body, 'GetQueueAttributes');
    const names = Array.isArray(body.AttributeNames) ? body.AttributeNames.map(String) : [];
    const all = allAttributes(queue, ctx.world.organization.partition);
    const known = new Set([...Object.keys(all), ...SETTABLE, 'All']);
    const unknown = names.find((name) => !known.has(name));
    if (unknown) throw sqsError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
    const wanted = names.includes('All') ? Object.keys(all) : names;
    const attributes = Object.fromEntries(
      wanted.filter((name) => all[name] !== undefined).map((name) => [name, all[name]]),
    );
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },
  SetQueueAttributes: (ctx, body) => {
    const queue = findQueue(ctx, body, 'SetQueueAttributes');
    const attributes = (typeof body.Attributes === 'object' && body.Attributes) || {};
    const entries = Object.entries(attributes as Record<string, unknown>).map(
      ([k, v]) => [k, String(v)] as const,
    );
    for (const [name, value] of entries) {
      if (READ_ONLY.has(name) || !SETTABLE.has(name)) {
        throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
      if (name === 'Policy' && value !== '') {
        const partition = ctx.world.organization.partition;
        const resourceArn = `arn:${partition}:sqs:${queue.region}:${queue.account}:${queue.name}`;
        try {
          validateResourcePolicy({ service: 'sqs', resourceArn, partition }, value);
        } catch (error) {
          if (!(error instanceof PolicyRejection)) throw error;
          throw sqsError(
            'InvalidAttributeValue',
            `Invalid value for the parameter Policy. Reason: ${error.message}.`,
          );
        }
      }
    }
    for (const [name, value] of entries) {
      if (name === 'Policy' && value === '') delete queue.attributes.Policy;
      else queue.attributes[name] = value;
    }
    queue.attributes.LastModifiedTimestamp = String(Math.floor(now(ctx).getTime() / 1000));
    return {};
  },
};

/** Runs one SQS action on a JSON-protocol body and returns the JSON-protocol result. */
export function runSqs(ctx: RequestContext, action: string, body: Body): Body {
  const handler = HANDLERS[action];
  if (!handler) throw commonError('sqs-json', 'UnknownOperation', `Operation ${action} is not supported`);
  validateInput('sqs', action, body);
  return handler(ctx, body);
}

export function handleSqs(ctx: RequestContext, action: string, body: Body): Reply {
  return jsonReply('sqs-json', runSqs(ctx, action, body), ctx.requestId);
}
