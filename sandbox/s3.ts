/** S3 (REST-XML): ListBuckets and the bucket policy calls, path-style and virtual-hosted addressing. */
import { authorize } from './authorization';
import type { RequestContext } from './context';
import type { Bucket } from './model';
import type { Reply } from './protocol';
import { ApiError, commonError } from './protocol';
import { PolicyRejection, validateResourcePolicy } from './resource-policy';
import { checkBucketName, checkS3Input } from './s3-validation';
import { XML_DECLARATION, toXml } from './xml';

export interface S3Route {
  action: string;
  bucket?: string;
  /** The operation's input members carried in the query string and headers, by model member name. */
  input?: Record<string, unknown>;
}

type Headers = Record<string, string | string[] | undefined>;

/** Query and header members of the served operations, by model member name (REST-XML bindings). */
function inputMembers(url: URL, headers: Headers): Record<string, unknown> {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const members: Record<string, unknown> = {
    MaxBuckets: url.searchParams.get('max-buckets') ?? undefined,
    ExpectedBucketOwner: header('x-amz-expected-bucket-owner'),
    ChecksumAlgorithm: header('x-amz-sdk-checksum-algorithm'),
  };
  return Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined));
}

/** The bucket named by the Host (virtual-hosted style), if any. */
function bucketFromHost(host: string): string | undefined {
  const hostname = host.replace(/:\d+$/, '');
  const s3 = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com$/.exec(hostname);
  if (s3) return s3[1];
  const local = /^(.+)\.localhost$/.exec(hostname);
  return local?.[1];
}

export function routeS3(method: string, url: URL, host: string, headers: Headers = {}): S3Route {
  const input = inputMembers(url, headers);
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const hosted = bucketFromHost(host);
  const bucket = hosted ?? segments[0];
  const keyPart = hosted ? segments.length > 0 : segments.length > 1;
  if (!bucket) return { action: method === 'GET' ? 'ListBuckets' : 'Unsupported', input };
  if (!keyPart && url.searchParams.has('policy')) {
    const action = { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' }[method];
    if (action) return { action, bucket, input: { ...input, Bucket: bucket } };
  }
  return { action: 'Unsupported', bucket };
}

/** Decodes an aws-chunked body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>`). */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function s3Body(body: Buffer, headers: Record<string, string | string[] | undefined>): Buffer {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.includes('aws-chunked') || sha.startsWith('STREAMING-') ? decodeAwsChunked(body) : body;
}

const IAM_ACTION: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  GetBucketPolicy: 's3:GetBucketPolicy',
  PutBucketPolicy: 's3:PutBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
};

const xmlReply = (ctx: RequestContext, body: string, status = 200): Reply => ({
  status,
  headers: { 'x-amz-request-id': ctx.requestId, 'content-type': 'application/xml' },
  body: XML_DECLARATION + body,
});

const empty = (ctx: RequestContext): Reply => ({
  status: 204,
  headers: { 'x-amz-request-id': ctx.requestId },
  body: '',
});

function listBuckets(ctx: RequestContext): Reply {
  const own = [...ctx.world.buckets.values()].filter((b) => b.account === ctx.caller.accountId);
  const buckets = own.map((b) => [
    'Bucket',
    [
      ['Name', b.name],
      ['CreationDate', b.creationDate],
      ['BucketRegion', b.region],
    ],
  ]) as [string, [string, string | Date][]][];
  const body = toXml([
    [
      'Owner',
      [
        ['ID', ctx.caller.accountId.padStart(64, '0')],
        ['DisplayName', `account-${ctx.caller.accountId}`],
      ],
    ],
    ['Buckets', buckets],
  ]);
  return xmlReply(
    ctx,
    `<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</ListAllMyBucketsResult>`,
  );
}

export function handleS3(ctx: RequestContext, route: S3Route, body: Buffer): Reply {
  const iamAction = IAM_ACTION[route.action];
  if (!iamAction)
    throw commonError('rest-xml', 'UnknownOperation', 'A header or query you provided is not implemented.');
  if (route.action === 'ListBuckets') {
    checkS3Input(route.action, route.input ?? {});
    authorize('rest-xml', ctx.caller, iamAction);
    return listBuckets(ctx);
  }
  const name = route.bucket ?? '';
  checkBucketName(name);
  const policyBody =
    route.action === 'PutBucketPolicy' && body.length > 0 ? { Policy: body.toString('utf8') } : {};
  checkS3Input(route.action, { ...route.input, Bucket: name, ...policyBody });
  const bucket: Bucket | undefined = ctx.world.buckets.get(name);
  if (!bucket) {
    throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, {
      fields: { BucketName: name },
    });
  }
  const partition = ctx.world.organization.partition;
  const arn = `arn:${partition}:s3:::${name}`;
  authorize('rest-xml', ctx.caller, iamAction, { account: bucket.account, arn });
  const expectedOwner = route.input?.ExpectedBucketOwner;
  // The model: "If the account ID that you provide does not match the actual owner of the bucket,
  // the request fails with the HTTP status code 403 Forbidden (access denied)."
  if (expectedOwner !== undefined && expectedOwner !== bucket.account) {
    throw commonError('rest-xml', 'AccessDenied', 'Access Denied');
  }
  switch (route.action) {
    case 'GetBucketPolicy':
      if (bucket.policy === undefined) {
        throw new ApiError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, {
          fields: { BucketName: name },
        });
      }
      return {
        status: 200,
        headers: { 'x-amz-request-id': ctx.requestId, 'content-type': 'application/json' },
        body: bucket.policy,
      };
    case 'PutBucketPolicy': {
      const policy = body.toString('utf8');
      try {
        validateResourcePolicy({ service: 's3', resourceArn: arn, partition }, policy);
      } catch (error) {
        if (error instanceof PolicyRejection) throw new ApiError('MalformedPolicy', error.message, 400);
        throw error;
      }
      bucket.policy = policy;
      return empty(ctx);
    }
    default:
      delete bucket.policy;
      return empty(ctx);
  }
}
