import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPERATIONS } from './api-operations';
import { SfnApiError } from './errors';
import type { LocalStepFunctions } from './runner';

export interface StepFunctionsApi {
  /** e.g. http://127.0.0.1:43121 — the `endpoint` of an SFNClient. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(runner: LocalStepFunctions, request: IncomingMessage, response: ServerResponse) {
  const target = request.headers['x-amz-target'];
  const operationName =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = OPERATIONS[operationName];
  if (request.method !== 'POST' || operation === undefined) {
    send(response, 400, {
      __type: 'UnknownOperationException',
      message: `unknown operation ${String(target)}`,
    });
    return;
  }
  let body: unknown;
  try {
    const text = await readBody(request);
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    send(response, 400, { __type: 'SerializationException', message: 'the body is not JSON' });
    return;
  }
  try {
    send(response, 200, operation(runner, (body ?? {}) as Record<string, unknown>));
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(response, 400, { __type: error.type, message: error.message });
    } else {
      send(response, 500, {
        __type: 'InternalFailure',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * The Step Functions API of the local runner over HTTP on loopback, in the
 * AWS JSON 1.0 protocol, so the AWS SDK and CLI work against it unchanged.
 * Requests are not authenticated: any credentials are accepted.
 */
export async function startStepFunctionsApi(
  runner: LocalStepFunctions,
  options: { port?: number; host?: string } = {},
): Promise<StepFunctionsApi> {
  const server = createServer((request, response) => {
    void handle(runner, request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
