import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LocalEventBus, PutEventsCaller } from './local-event-bus';

export interface EventBridgeServerOptions {
  readonly port?: number;
  /** The account of the caller named by a SigV4 access key id (default: the bus's own account). */
  readonly callerAccount?: (accessKeyId: string) => string | undefined;
  /** The caller's account and IAM principal, judged by the buses' resource policies; wins over callerAccount. */
  readonly callerPrincipal?: (accessKeyId: string) => PutEventsCaller | undefined;
}

export interface EventBridgeServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Wire entries: the SDK sends Time as epoch seconds in the JSON 1.1 protocol. */
interface WireEntry extends Omit<PutEventsRequestEntry, 'Time'> {
  Time?: number | string;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function fail(response: ServerResponse, status: number, type: string, message: string): void {
  reply(response, status, { __type: type, message });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function accessKeyOf(request: IncomingMessage): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1];
}

function toEntry(wire: WireEntry): PutEventsRequestEntry {
  const { Time, ...rest } = wire;
  if (Time === undefined) return rest;
  return { ...rest, Time: typeof Time === 'number' ? new Date(Time * 1000) : new Date(Time) };
}

/**
 * The EventBridge JSON 1.1 endpoint of the local stack: PutEvents only, so
 * that `@aws-sdk/client-eventbridge` (and the AWS CLI) put events on the
 * local bus exactly as they would in AWS.
 */
export async function startEventBridgeServer(
  bus: LocalEventBus,
  options: EventBridgeServerOptions = {},
): Promise<EventBridgeServer> {
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      fail(response, 500, 'InternalException', error instanceof Error ? error.message : String(error));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = request.headers['x-amz-target'];
    const body = await readBody(request);
    if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
      fail(
        response,
        400,
        'UnknownOperationException',
        `${String(target)} is not served by the local EventBridge`,
      );
      return;
    }
    let parsed: { Entries?: WireEntry[] };
    try {
      parsed = JSON.parse(body) as { Entries?: WireEntry[] };
    } catch {
      fail(response, 400, 'SerializationException', 'the request body is not JSON');
      return;
    }
    const accessKeyId = accessKeyOf(request);
    const account = accessKeyId === undefined ? undefined : options.callerAccount?.(accessKeyId);
    const caller =
      (accessKeyId === undefined ? undefined : options.callerPrincipal?.(accessKeyId)) ??
      (account === undefined ? {} : { account });
    try {
      const outcome = await bus.putEventsAuthorized((parsed.Entries ?? []).map(toEntry), caller);
      reply(response, 200, outcome);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'InternalException';
      fail(response, 400, name, error instanceof Error ? error.message : String(error));
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
