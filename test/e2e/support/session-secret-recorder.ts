import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallLog } from './call-log';

export interface SessionSecretRecorder {
  readonly endpoint: string;
  /** Where requests go: the sandbox endpoint, set once it is known. */
  target: string;
  /** Every SecretAccessKey and SessionToken any AssumeRoot answer carried. */
  readonly secrets: ReadonlySet<string>;
  /** Access key ids of the root sessions (fine to record: they are for CloudTrail correlation). */
  readonly accessKeyIds: ReadonlySet<string>;
  close(): Promise<void>;
}

const SECRET_ELEMENTS = /<(SecretAccessKey|SessionToken|AccessKeyId)>([^<]+)<\/\1>/g;

/**
 * A pass-through proxy in front of the sandbox that reads every STS answer
 * on its way to the handlers and keeps the root sessions' secrets, so a test
 * can prove none of them ends up in a history, a log or the table. It learns
 * them from the wire, as an attacker reading the logs would need them.
 * Each request is also logged, in arrival order, in the call log if given.
 */
export async function startSessionSecretRecorder(callLog?: CallLog): Promise<SessionSecretRecorder> {
  const secrets = new Set<string>();
  const accessKeyIds = new Set<string>();
  const recorder: { target: string } = { target: '' };
  const server = createServer((incoming, outgoing) => {
    callLog?.logSandboxRequest(incoming.method ?? '', incoming.url ?? '', incoming.headers);
    const target = new URL(recorder.target);
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          if (text.includes('AssumeRootResult')) {
            for (const [, element, value] of text.matchAll(SECRET_ELEMENTS)) {
              if (value === undefined) continue;
              if (element === 'AccessKeyId') accessKeyIds.add(value);
              else secrets.add(value);
            }
          }
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          outgoing.end(body);
        });
      },
    );
    forward.on('error', (error) => {
      outgoing.writeHead(502);
      outgoing.end(error.message);
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get target() {
      return recorder.target;
    },
    set target(value: string) {
      recorder.target = value;
    },
    secrets,
    accessKeyIds,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
