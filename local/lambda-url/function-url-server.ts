import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Context, LambdaFunctionURLEventWithIAMAuthorizer, LambdaFunctionURLResult } from 'aws-lambda';
import { signedPost } from '../../cli/signed-request';
import { lambdaContext } from '../lambda-context';
import type { LocalFunction } from '../template';

/** A principal of the local world that holds long-term keys. */
export interface KeyHolder {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
  /** The IAM ARN AWS would put in requestContext.authorizer.iam.userArn. */
  readonly principalArn: string;
}

export interface FunctionUrlServerOptions {
  readonly region: string;
  /** The account the function belongs to (requestContext.accountId). */
  readonly account: string;
  /** The principal owning an access key id, or undefined for an unknown key. */
  readonly keyHolder: (accessKeyId: string) => KeyHolder | undefined;
  /** The function behind the URL: its name, ARN, memory and timeout go into each invocation's context. */
  readonly function: Pick<LocalFunction, 'name' | 'arn' | 'memorySizeMb' | 'timeoutSeconds'>;
  readonly handler: (
    event: LambdaFunctionURLEventWithIAMAuthorizer,
    context: Context,
  ) => Promise<LambdaFunctionURLResult>;
  readonly host?: string;
}

export interface FunctionUrlServer {
  /** e.g. http://127.0.0.1:43125/ — the function URL of the local stack. */
  readonly url: string;
  /** Every request's authentication result, for tests. */
  readonly requests: { readonly principalArn?: string; readonly status: number }[];
  close(): Promise<void>;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/lambda\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Lambda's own answer to a request it could not authenticate or authorize. */
const FORBIDDEN = { statusCode: 403, body: JSON.stringify({ Message: 'Forbidden' }) };

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function amzDate(value: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/**
 * Who signed the request, if the SigV4 signature is valid: the access key
 * named in the Authorization header must belong to a known principal, and
 * signing the same request with that principal's secret must give the same
 * signature (so a request cannot claim someone else's key).
 */
async function authenticate(
  request: { method: string; url: URL; headers: Readonly<Record<string, string | undefined>>; body: string },
  region: string,
  keyHolder: (accessKeyId: string) => KeyHolder | undefined,
): Promise<KeyHolder | undefined> {
  const match = AUTHORIZATION.exec(request.headers.authorization ?? '');
  if (match === null || request.method !== 'POST') return undefined;
  const [, accessKeyId = '', , signedRegion, , signature] = match;
  const holder = keyHolder(accessKeyId);
  const signingDate = amzDate(request.headers['x-amz-date']);
  if (holder === undefined || signingDate === undefined || signedRegion !== region) return undefined;
  const expected = await signedPost(
    request.url,
    request.body,
    { accessKeyId: holder.accessKeyId, secretAccessKey: holder.secretAccessKey },
    region,
    signingDate,
  );
  const expectedSignature = /Signature=([0-9a-f]{64})$/.exec(expected.headers.authorization ?? '')?.[1];
  return expectedSignature === signature ? holder : undefined;
}

function send(response: ServerResponse, result: LambdaFunctionURLResult): void {
  const body = typeof result === 'string' ? result : (result.body ?? '');
  const status = typeof result === 'string' ? 200 : (result.statusCode ?? 200);
  const headers = typeof result === 'string' ? {} : (result.headers ?? {});
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

/**
 * A Lambda function URL with AuthType AWS_IAM on loopback: authenticates
 * each request by its SigV4 signature (service `lambda`) against the keys
 * of the local world's principals, answers 403 Forbidden as Lambda does
 * when it cannot, and otherwise invokes the handler with the function URL
 * event (payload 2.0) carrying the authenticated caller in
 * requestContext.authorizer.iam. IAM authorization (lambda:InvokeFunctionUrl
 * in the caller's policies) is not evaluated here: the sandbox's users are
 * administrators; the policies are checked by the CDK assertion tests.
 */
export async function startFunctionUrlServer(options: FunctionUrlServerOptions): Promise<FunctionUrlServer> {
  const requests: { principalArn?: string; status: number }[] = [];
  const host = options.host ?? '127.0.0.1';
  let base = '';
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', base);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.join(',') : value,
        ]),
      );
      const holder = await authenticate(
        { method: request.method ?? '', url, headers, body },
        options.region,
        options.keyHolder,
      );
      if (holder === undefined) {
        requests.push({ status: 403 });
        send(response, FORBIDDEN);
        return;
      }
      const now = new Date();
      const requestId = randomUUID();
      const event: LambdaFunctionURLEventWithIAMAuthorizer = {
        version: '2.0',
        routeKey: '$default',
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers: Object.fromEntries(
          Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
        requestContext: {
          accountId: options.account,
          apiId: 'local',
          authorizer: {
            iam: {
              accessKey: holder.accessKeyId,
              accountId: holder.account,
              callerId: holder.accessKeyId,
              cognitoIdentity: null,
              principalOrgId: '',
              userArn: holder.principalArn,
              userId: holder.accessKeyId,
            },
          },
          domainName: url.host,
          domainPrefix: 'local',
          http: {
            method: request.method ?? 'POST',
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId,
          routeKey: '$default',
          stage: '$default',
          time: now.toISOString(),
          timeEpoch: now.getTime(),
        },
        body,
        isBase64Encoded: false,
      };
      try {
        const deadline = now.getTime() + options.function.timeoutSeconds * 1000;
        const result = await options.handler(event, lambdaContext(options.function, requestId, deadline));
        requests.push({
          principalArn: holder.principalArn,
          status: typeof result === 'string' ? 200 : (result.statusCode ?? 200),
        });
        send(response, result);
      } catch (error) {
        requests.push({ principalArn: holder.principalArn, status: 502 });
        send(response, {
          statusCode: 502,
          body: JSON.stringify({ Message: error instanceof Error ? error.message : String(error) }),
        });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host}:${port}`;
  return {
    url: `${base}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
