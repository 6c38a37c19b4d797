/** Answers and errors in each wire protocol's real shape. */
import { randomUUID } from 'node:crypto';
import { declaredStatus } from './declared-errors';
import { XML_DECLARATION, escapeXml, toXml } from './xml';
import type { XmlNode } from './xml';

export type ServiceName = 'sts' | 'iam' | 'organizations' | 's3' | 'sqs';
/** sqs-query: the query protocol older SQS clients send (errors use the query codes). */
export type Protocol = 'query' | 'json' | 'rest-xml' | 'sqs-json' | 'sqs-query';

export const PROTOCOL: Record<ServiceName, Protocol> = {
  sts: 'query',
  iam: 'query',
  organizations: 'json',
  s3: 'rest-xml',
  sqs: 'sqs-json',
};

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An error answer. `code` is the wire code (query Code, JSON __type, S3 Code). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly options: {
      fault?: 'Sender' | 'Receiver';
      queryCode?: string;
      fields?: Record<string, string>;
    } = {},
  ) {
    super(message);
  }
}

export type CommonErrorKind =
  | 'AccessDenied'
  | 'ExpiredToken'
  | 'Throttling'
  | 'UnknownKey'
  | 'MissingAuth'
  | 'BadToken'
  | 'UnknownOperation';

type Row = [code: string, status: number, queryCode?: string];
const COMMON: Record<CommonErrorKind, Record<Exclude<Protocol, 'sqs-query'>, Row>> = {
  AccessDenied: {
    query: ['AccessDenied', 403],
    // Organizations, the only JSON 1.1 service served: its model declares the status (400).
    json: ['AccessDeniedException', declaredStatus('organizations', 'AccessDeniedException')],
    'rest-xml': ['AccessDenied', 403],
    'sqs-json': ['com.amazon.coral.service#AccessDeniedException', 403, 'AccessDenied'],
  },
  ExpiredToken: {
    query: ['ExpiredToken', 403],
    json: ['ExpiredTokenException', 400],
    'rest-xml': ['ExpiredToken', 400],
    'sqs-json': ['com.amazon.coral.service#ExpiredTokenException', 403, 'ExpiredToken'],
  },
  Throttling: {
    query: ['Throttling', 400],
    json: ['TooManyRequestsException', declaredStatus('organizations', 'TooManyRequestsException')],
    'rest-xml': ['SlowDown', 503],
    'sqs-json': [
      'com.amazonaws.sqs#RequestThrottled',
      declaredStatus('sqs', 'RequestThrottled'),
      'RequestThrottled',
    ],
  },
  UnknownKey: {
    query: ['InvalidClientTokenId', 403],
    json: ['UnrecognizedClientException', 400],
    'rest-xml': ['InvalidAccessKeyId', 403],
    'sqs-json': ['com.amazon.coral.service#UnrecognizedClientException', 403, 'InvalidClientTokenId'],
  },
  MissingAuth: {
    query: ['MissingAuthenticationToken', 403],
    json: ['MissingAuthenticationTokenException', 403],
    'rest-xml': ['AccessDenied', 403],
    'sqs-json': [
      'com.amazon.coral.service#MissingAuthenticationTokenException',
      403,
      'MissingAuthenticationToken',
    ],
  },
  BadToken: {
    query: ['InvalidClientTokenId', 403],
    json: ['UnrecognizedClientException', 400],
    'rest-xml': ['InvalidToken', 400],
    'sqs-json': ['com.amazon.coral.service#UnrecognizedClientException', 403, 'InvalidClientTokenId'],
  },
  UnknownOperation: {
    query: ['InvalidAction', 400],
    json: ['UnknownOperationException', 400],
    'rest-xml': ['NotImplemented', 501],
    'sqs-json': ['com.amazon.coral.service#UnknownOperationException', 400, 'InvalidAction'],
  },
};

export function commonError(protocol: Protocol, kind: CommonErrorKind, message: string): ApiError {
  const [code, status, queryCode] = COMMON[kind][protocol === 'sqs-query' ? 'sqs-json' : protocol];
  return new ApiError(code, message, status, {
    fault: status >= 500 ? 'Receiver' : 'Sender',
    ...(queryCode ? { queryCode } : {}),
  });
}

export const newRequestId = (): string => randomUUID();

export const QUERY_NAMESPACE = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sqs: 'http://queue.amazonaws.com/doc/2012-11-05/',
} as const;

export function errorReply(
  protocol: Protocol,
  error: ApiError,
  requestId: string,
  namespace: string = QUERY_NAMESPACE.sts,
): Reply {
  const fault = error.options.fault ?? (error.status >= 500 ? 'Receiver' : 'Sender');
  const base = { 'x-amzn-requestid': requestId };
  switch (protocol) {
    case 'sqs-query':
    case 'query':
      return {
        status: error.status,
        headers: { ...base, 'content-type': 'text/xml' },
        body:
          `<ErrorResponse xmlns="${namespace}"><Error><Type>${fault}</Type>` +
          `<Code>${escapeXml(protocol === 'sqs-query' ? (error.options.queryCode ?? error.code) : error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
          `<RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'json':
      return {
        status: error.status,
        headers: { ...base, 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ __type: error.code, Message: error.message, ...error.options.fields }),
      };
    case 'sqs-json':
      return {
        status: error.status,
        headers: {
          ...base,
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-query-error': `${error.options.queryCode ?? error.code};${fault}`,
        },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    case 'rest-xml': {
      const fields: XmlNode[] = Object.entries(error.options.fields ?? {});
      return {
        status: error.status,
        headers: { 'x-amz-request-id': requestId, 'content-type': 'application/xml' },
        body:
          XML_DECLARATION +
          `<Error>${toXml([['Code', error.code], ['Message', error.message], ...fields])}` +
          `<RequestId>${requestId}</RequestId><HostId>sandbox</HostId></Error>`,
      };
    }
  }
}

/** A successful query-protocol answer: <XResponse><XResult>…</XResult><ResponseMetadata/></XResponse>. */
export function queryReply(action: string, namespace: string, result: XmlNode[], requestId: string): Reply {
  return {
    status: 200,
    headers: { 'x-amzn-requestid': requestId, 'content-type': 'text/xml' },
    body:
      `<${action}Response xmlns="${namespace}"><${action}Result>${toXml(result)}</${action}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

export function jsonReply(protocol: 'json' | 'sqs-json', body: unknown, requestId: string): Reply {
  return {
    status: 200,
    headers: {
      'x-amzn-requestid': requestId,
      'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
    },
    body: JSON.stringify(body),
  };
}
