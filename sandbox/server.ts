/** The loopback HTTP server: authenticate, count, throttle, inject faults, route, answer. */
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { ADMIN_PREFIX } from './admin';
import type { Caller } from './authorization';
import type { SandboxClock } from './clock';
import { validateInput } from './constraints';
import type { RequestContext } from './context';
import { handleIam } from './iam';
import type { FaultInjector, InjectedFault } from './load';
import type { MetricsRecorder, Outcome } from './metrics';
import type { World } from './model';
import { handleOrganizations } from './organizations';
import { partitionOfRegion } from './partition';
import type { Protocol, Reply } from './protocol';
import { ApiError, QUERY_NAMESPACE, commonError, errorReply, newRequestId } from './protocol';
import type { ParsedRequest } from './request';
import { parseRequest, readBody } from './request';
import { handleS3 } from './s3';
import type { SecurityHubEmulator } from './securityhub';
import { handleSqs } from './sqs';
import { handleSqsQuery } from './sqs-query';
import { handleSts } from './sts';

export interface ServerDeps {
  world: World;
  clock: SandboxClock;
  region: string;
  metrics: MetricsRecorder;
  faults: FaultInjector;
  takeToken: (service: ParsedRequest['service'], account: string) => boolean;
  latency: (service: ParsedRequest['service']) => number;
  queueUrlStyle: 'aws' | 'endpoint';
  endpoint: () => string;
  /** Security Hub speaks its own protocol; it is served beside the others (securityhub.ts). */
  securityHub?: SecurityHubEmulator;
  /** The admin API (/__sandbox/…), answered before any AWS routing. */
  admin: (method: string, path: string, body: Buffer) => Reply;
}

const THROTTLE_MESSAGE: Record<Protocol, string> = {
  query: 'Rate exceeded',
  json: 'AWS Organizations can’t complete your request because another request is already in progress. Try again later.',
  'rest-xml': 'Please reduce your request rate.',
  'sqs-json': 'Request is throttled.',
  'sqs-query': 'Request is throttled.',
};

const userId = (accessKeyId: string): string =>
  `AIDA${createHash('sha256').update(accessKeyId).digest('hex').slice(0, 17).toUpperCase()}`;

function authenticate(deps: ServerDeps, request: ParsedRequest): Caller {
  const { protocol, accessKeyId } = request;
  if (!accessKeyId) throw commonError(protocol, 'MissingAuth', 'Request is missing Authentication Token');
  // Credentials belong to one partition: signed for a region of another, they are unknown there.
  if (request.region && partitionOfRegion(request.region) !== deps.world.organization.partition) {
    throw commonError(protocol, 'UnknownKey', 'The security token included in the request is invalid.');
  }
  const principal = deps.world.credentials.get(accessKeyId);
  if (principal) {
    return {
      kind: 'principal',
      accessKeyId,
      accountId: principal.accountId,
      arn: `arn:${deps.world.organization.partition}:iam::${principal.accountId}:user/${principal.userName}`,
      userId: userId(accessKeyId),
    };
  }
  const session = deps.world.sessions.get(accessKeyId);
  if (!session) {
    throw commonError(protocol, 'UnknownKey', 'The security token included in the request is invalid.');
  }
  if (request.sessionToken !== session.sessionToken) {
    throw commonError(protocol, 'BadToken', 'The security token included in the request is invalid.');
  }
  if (deps.clock.now() >= session.expiration.getTime()) {
    throw commonError(protocol, 'ExpiredToken', 'The security token included in the request is expired');
  }
  return {
    kind: 'root-session',
    accessKeyId,
    accountId: session.accountId,
    arn: `arn:${deps.world.organization.partition}:iam::${session.accountId}:root`,
    session,
  };
}

function injected(protocol: Protocol, fault: InjectedFault): ApiError {
  if (fault === 'Throttling') return commonError(protocol, 'Throttling', THROTTLE_MESSAGE[protocol]);
  if (fault === 'ServiceFailure') {
    return new ApiError(
      'ServiceFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
      500,
      { fault: 'Receiver' },
    );
  }
  return new ApiError('EntityTemporarilyUnmodifiable', 'The root user is temporarily unmodifiable.', 409);
}

function dispatch(ctx: RequestContext, request: ParsedRequest): Reply {
  if (request.service === 'sts' || request.service === 'iam') {
    validateInput(request.service, request.action, request.params);
  } else if (request.service === 'organizations') {
    validateInput('organizations', request.action, request.json);
  }
  switch (request.service) {
    case 'sts':
      return handleSts(ctx, request.action, request.params);
    case 'iam':
      return handleIam(ctx, request.action, request.params);
    case 'organizations':
      return handleOrganizations(ctx, request.action, request.json);
    case 's3':
      return handleS3(ctx, request.s3Route ?? { action: 'Unsupported' }, request.body);
    case 'sqs':
      return request.protocol === 'sqs-query'
        ? handleSqsQuery(ctx, request.action, request.params)
        : handleSqs(ctx, request.action, request.json);
  }
}

async function answer(deps: ServerDeps, req: IncomingMessage): Promise<Reply> {
  const requestId = newRequestId();
  const body = await readBody(req);
  const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
  if (path.startsWith(ADMIN_PREFIX)) return deps.admin(req.method ?? 'GET', path, body);
  const request = parseRequest(req, body);
  if (!request) {
    return {
      status: 400,
      headers: { 'content-type': 'text/plain' },
      body: 'Service not served by the sandbox',
    };
  }
  const { service, protocol, action } = request;
  let account = 'anonymous';
  let outcome: Outcome = 'ok';
  let code: string | undefined;
  let cause: 'quota' | 'injected' | undefined;
  let fault: InjectedFault | undefined;
  let reply: Reply;
  try {
    const caller = authenticate(deps, request);
    account = caller.accountId;
    if (!deps.takeToken(service, account)) {
      cause = 'quota';
      throw commonError(protocol, 'Throttling', THROTTLE_MESSAGE[protocol]);
    }
    fault = deps.faults.draw(service, action);
    if (fault) throw injected(protocol, fault);
    const ctx: RequestContext = {
      world: deps.world,
      clock: deps.clock,
      region: request.region ?? deps.region,
      caller,
      requestId,
      endpoint: deps.endpoint(),
      queueUrlStyle: deps.queueUrlStyle,
    };
    reply = dispatch(ctx, request);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    code = error.options.queryCode ?? error.code;
    if (fault === 'Throttling') cause = 'injected';
    outcome = cause ? 'throttled' : fault ? 'fault' : 'error';
    const namespace = service === 'iam' || service === 'sqs' ? QUERY_NAMESPACE[service] : QUERY_NAMESPACE.sts;
    reply = errorReply(protocol, error, requestId, namespace);
  }
  deps.metrics.record({
    service,
    action,
    account,
    outcome,
    ...(code ? { code } : {}),
    ...(cause ? { cause } : {}),
  });
  const delay = deps.latency(service);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  return reply;
}

export function createSandboxServer(deps: ServerDeps): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    if (deps.securityHub?.accepts(req)) return deps.securityHub.serve(req, res);
    answer(deps, req)
      .then((reply) => {
        res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
        res.end(reply.body);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`sandbox internal error: ${String(error)}`);
      });
  });
}
