/** Reads an HTTP request into the service, action, caller key and parameters the sandbox routes on. */
import type { IncomingMessage } from 'node:http';
import type { Protocol, ServiceName } from './protocol';
import { PROTOCOL } from './protocol';
import type { S3Route } from './s3';
import { routeS3, s3Body } from './s3';

export interface ParsedRequest {
  service: ServiceName;
  protocol: Protocol;
  action: string;
  region?: string;
  accessKeyId?: string;
  sessionToken?: string;
  /** Query-protocol parameters (STS, IAM). */
  params: URLSearchParams;
  /** JSON body (Organizations, SQS). */
  json: Record<string, unknown>;
  s3Route?: S3Route;
  body: Buffer;
}

const SERVICES = new Set<string>(['sts', 'iam', 'organizations', 's3', 'sqs']);
const isService = (name: string | undefined): name is ServiceName => name !== undefined && SERVICES.has(name);
const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

export const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The service when the request carries no credential scope. */
function guessService(req: IncomingMessage, body: Buffer): ServiceName {
  const target = header(req, 'x-amz-target') ?? '';
  if (target.startsWith('AWSOrganizations')) return 'organizations';
  if (target.startsWith('AmazonSQS')) return 'sqs';
  if ((header(req, 'content-type') ?? '').includes('x-www-form-urlencoded')) {
    const version = new URLSearchParams(body.toString('utf8')).get('Version');
    return version === '2010-05-08' ? 'iam' : version === '2012-11-05' ? 'sqs' : 'sts';
  }
  return 's3';
}

/** Returns undefined when the credential scope names a service the sandbox does not serve. */
export function parseRequest(req: IncomingMessage, body: Buffer): ParsedRequest | undefined {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const auth = header(req, 'authorization') ?? url.searchParams.get('X-Amz-Credential') ?? '';
  const scope = CREDENTIAL.exec(auth.startsWith('AWS4') ? auth : `Credential=${auth}`);
  const scopedService = scope?.[3];
  if (scope && !isService(scopedService)) return undefined;
  const service = isService(scopedService) ? scopedService : guessService(req, body);
  const form = (header(req, 'content-type') ?? '').includes('x-www-form-urlencoded');
  const protocol = service === 'sqs' && form ? 'sqs-query' : PROTOCOL[service];
  const parsed: ParsedRequest = {
    service,
    protocol,
    action: 'Unknown',
    ...(scope?.[1] ? { accessKeyId: scope[1] } : {}),
    ...(scope?.[2] ? { region: scope[2] } : {}),
    ...((header(req, 'x-amz-security-token') ?? url.searchParams.get('X-Amz-Security-Token'))
      ? {
          sessionToken:
            header(req, 'x-amz-security-token') ?? url.searchParams.get('X-Amz-Security-Token') ?? '',
        }
      : {}),
    params: new URLSearchParams(),
    json: {},
    body,
  };
  if (protocol === 'query' || protocol === 'sqs-query') {
    parsed.params = new URLSearchParams(body.length > 0 ? body.toString('utf8') : url.search);
    parsed.action = parsed.params.get('Action') ?? 'Unknown';
  } else if (protocol === 'rest-xml') {
    parsed.s3Route = routeS3(req.method ?? 'GET', url, header(req, 'host') ?? '', req.headers);
    parsed.action = parsed.s3Route.action;
    parsed.body = s3Body(body, req.headers);
  } else {
    parsed.action = (header(req, 'x-amz-target') ?? '').split('.').pop() || 'Unknown';
    try {
      const value: unknown = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
      parsed.json = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    } catch {
      parsed.json = {};
    }
  }
  return parsed;
}
