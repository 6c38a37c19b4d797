import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalStackDescription {
  readonly stackName: string;
  readonly stackId: string;
  readonly creationTime: Date;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface CloudFormationServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

const NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function send(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
  response.end(xml);
}

function error(response: ServerResponse, status: number, code: string, message: string): void {
  send(
    response,
    status,
    `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

function describeStacks(stack: LocalStackDescription): string {
  const outputs = Object.entries(stack.outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${escapeXml(key)}</OutputKey><OutputValue>${escapeXml(value)}</OutputValue></member>`,
    )
    .join('');
  return (
    `<DescribeStacksResponse xmlns="${NAMESPACE}"><DescribeStacksResult><Stacks><member>` +
    `<StackName>${escapeXml(stack.stackName)}</StackName><StackId>${escapeXml(stack.stackId)}</StackId>` +
    `<CreationTime>${stack.creationTime.toISOString()}</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus>` +
    `<Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></DescribeStacksResponse>`
  );
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * CloudFormation DescribeStacks for the one local stack, in the query
 * protocol, so that code reading the stack outputs in AWS
 * (`@aws-sdk/client-cloudformation`) reads the local ones unchanged.
 */
export async function startCloudFormationServer(stack: LocalStackDescription): Promise<CloudFormationServer> {
  const server = createServer((request, response) => {
    void readForm(request).then((form) => {
      if (form.get('Action') !== 'DescribeStacks') {
        error(response, 400, 'InvalidAction', `${form.get('Action') ?? '(none)'} is not served locally`);
        return;
      }
      const name = form.get('StackName');
      if (name !== null && name !== stack.stackName && name !== stack.stackId) {
        error(response, 400, 'ValidationError', `Stack with id ${name} does not exist`);
        return;
      }
      send(response, 200, describeStacks(stack));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
