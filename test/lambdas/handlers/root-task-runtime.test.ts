import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRootCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { booleanVariable, ConfigurationError } from '../../../lambdas/shared/env';
import { logger } from '../../../lambdas/shared/logger';
import { auditCallBackoffMs } from '../../../lambdas/shared/retry-budget';
import {
  rootTaskRuntimeFromEnv,
  withAuditBackoff,
  withRootSession,
} from '../../../lambdas/shared/root-task-runtime';
import { ACCOUNT_ID, ASSUME_ROOT_RESPONSE } from '../root-access/aws-fakes';
import { fakeContext } from './handler-fakes';

const xmlAnswer = (statusCode: number, body: string) =>
  Promise.resolve({
    response: {
      statusCode,
      headers: { 'content-type': 'text/xml' },
      body: Readable.from([Buffer.from(body)]),
    },
  });
const THROTTLED_XML =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>';
const SUMMARY_XML =
  '<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountSummaryResponse>';

describe('rootTaskRuntimeFromEnv', () => {
  test('builds a regional STS client and reads the optional settings', async () => {
    // Act
    const runtime = rootTaskRuntimeFromEnv({
      AWS_REGION: 'us-gov-west-1',
      ROOT_SESSION_DURATION_SECONDS: '120',
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    // Assess
    expect(runtime).toMatchObject({
      region: 'us-gov-west-1',
      partition: 'aws-us-gov',
      durationSeconds: 120,
      clientConfig: { forcePathStyle: true },
      loopbackRegion: 'us-gov-west-1',
    });
    expect(await runtime.sts.config.region()).toBe('us-gov-west-1');
    const useGlobalEndpoint: unknown = runtime.sts.config.useGlobalEndpoint;
    expect(
      typeof useGlobalEndpoint === 'function'
        ? await (useGlobalEndpoint as () => Promise<unknown>)()
        : useGlobalEndpoint,
    ).toBe(false);
  });

  test('leaves duration, path style and loopback queues off by default', () => {
    const runtime = rootTaskRuntimeFromEnv({
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'https://vpce.example.com',
    });
    expect(runtime.durationSeconds).toBeUndefined();
    expect(runtime.clientConfig).toMatchObject({
      retryMode: 'standard',
      maxAttempts: 8,
      forcePathStyle: false,
    });
    expect(runtime.loopbackRegion).toBeUndefined();
  });

  test('gives STS and the root-session clients a retry budget that fits throttling', async () => {
    const runtime = rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1' });
    expect(runtime.clientConfig).toMatchObject({ retryMode: 'standard', maxAttempts: 8 });
    expect(await runtime.sts.config.maxAttempts()).toBe(8);
    expect(runtime.sts.config.retryMode).toBe('standard');
  });

  test('a session client throttled seven times in a row answers on the eighth attempt', async () => {
    // Prepare: IAM over a fake HTTP handler (no mock of send: the SDK's own retries run).
    const runtime = rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1' });
    const xml = (statusCode: number, body: string) =>
      Promise.resolve({
        response: {
          statusCode,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(body)]),
        },
      });
    let attempts = 0;
    const requestHandler = {
      handle: () => {
        attempts += 1;
        if (attempts < 8) {
          return xml(
            400,
            '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>',
          );
        }
        return xml(
          200,
          '<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountSummaryResponse>',
        );
      },
    };
    const iam = new IAMClient({
      ...runtime.clientConfig,
      region: runtime.region,
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
      requestHandler: requestHandler as never,
    });
    jest.spyOn(Math, 'random').mockReturnValue(0); // full jitter at 0: no wait
    try {
      // Act
      const summary = await iam.send(new GetAccountSummaryCommand({}));
      // Assess
      expect(summary.SummaryMap).toEqual({ AccountMFAEnabled: 0 });
      expect(attempts).toBe(8);
    } finally {
      jest.restoreAllMocks();
      iam.destroy();
    }
  });

  test('the audit backoff: a session client throttled three times answers within the quota refill, not the SDK backoff', async () => {
    // Full jitter drawn at its top: the SDK's throttling backoff would wait ~1 + 2 + 4 = 7 s.
    const audit = withAuditBackoff(rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1' }));
    let attempts = 0;
    const iam = new IAMClient({
      ...audit.clientConfig,
      region: audit.region,
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' },
      requestHandler: {
        handle: () => {
          attempts += 1;
          return attempts <= 3 ? xmlAnswer(400, THROTTLED_XML) : xmlAnswer(200, SUMMARY_XML);
        },
      } as never,
    });
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const started = performance.now();
    try {
      await iam.send(new GetAccountSummaryCommand({}));
      // 99 + 199 + 399 ms
      expect(attempts).toBe(4);
      expect(performance.now() - started).toBeLessThan(1500);
      expect(auditCallBackoffMs(1, 0.999)).toBe(99);
      expect(auditCallBackoffMs(12, 1)).toBe(20_000);
    } finally {
      jest.restoreAllMocks();
      iam.destroy();
    }
    expect(await audit.sts.config.maxAttempts()).toBe(8);
  }, 20_000);

  test('an audit session is logged at DEBUG (its run record keeps the key id), a session that changes something at INFO', async () => {
    const sts = mockClient(STSClient);
    sts.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
    const runtime = rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1' });
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const debug = jest.spyOn(logger, 'debug').mockImplementation(() => undefined);
    try {
      await withRootSession(runtime, ACCOUNT_ID, 'IAMAuditRootUserCredentials', () => Promise.resolve());
      expect(info).not.toHaveBeenCalled();
      expect(debug).toHaveBeenCalledWith(
        'root session opened',
        expect.objectContaining({ task: 'IAMAuditRootUserCredentials' }),
      );
      await withRootSession(runtime, ACCOUNT_ID, 'IAMDeleteRootUserCredentials', () => Promise.resolve());
      expect(info).toHaveBeenCalledWith(
        'root session opened',
        expect.objectContaining({ task: 'IAMDeleteRootUserCredentials' }),
      );
    } finally {
      jest.restoreAllMocks();
      sts.restore();
    }
  });

  test('session clients share one keep-alive connection, which outlives each session', async () => {
    // Prepare: a loopback IAM that notes the socket of each request.
    const sockets: unknown[] = [];
    const server = createServer((request, response) => {
      sockets.push(request.socket);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(
          '<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountSummaryResponse>',
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const runtime = rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1' });
    const sessionClient = (n: number) =>
      new IAMClient({
        ...runtime.clientConfig,
        region: runtime.region,
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: `ASIA${n}`, secretAccessKey: 'secret', sessionToken: 'token' },
      });
    try {
      // Act: two sessions one after the other, the first one disposed before the second starts.
      const first = sessionClient(1);
      await first.send(new GetAccountSummaryCommand({}));
      first.destroy();
      const second = sessionClient(2);
      await second.send(new GetAccountSummaryCommand({}));
      second.destroy();
      // Assess: one TCP connection for both.
      expect(sockets).toHaveLength(2);
      expect(sockets[1]).toBe(sockets[0]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test.each([
    [
      { ROOT_SESSION_DURATION_SECONDS: '901' },
      /ROOT_SESSION_DURATION_SECONDS must be an integer from 1 to 900/,
    ],
    [{ S3_FORCE_PATH_STYLE: 'maybe' }, /S3_FORCE_PATH_STYLE must be true or false/],
    [{ AWS_REGION: undefined }, /AWS_REGION is not set/],
  ])('names a bad variable: %j', (override, message) => {
    expect(() => rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1', ...override })).toThrow(
      ConfigurationError,
    );
    expect(() => rootTaskRuntimeFromEnv({ AWS_REGION: 'eu-west-1', ...override })).toThrow(message);
  });

  test('booleanVariable accepts true/false/1/0 and a fallback', () => {
    expect(booleanVariable({ X: 'TRUE' }, 'X')).toBe(true);
    expect(booleanVariable({ X: '0' }, 'X')).toBe(false);
    expect(booleanVariable({}, 'X', true)).toBe(true);
  });
});

describe('the default handler export', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('reads the environment on first use and works in process', async () => {
    // Prepare: the variables Lambda (or the local runner) sets; the mocks stand in for the endpoint.
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    process.env.ROOT_SESSION_DURATION_SECONDS = '200';
    const stsMock = mockClient(STSClient);
    const iamMock = mockClient(IAMClient);
    stsMock.on(AssumeRootCommand).resolves(ASSUME_ROOT_RESPONSE);
    iamMock.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountPasswordPresent: 0,
        AccountAccessKeysPresent: 0,
        AccountSigningCertificatesPresent: 0,
        AccountMFAEnabled: 0,
      },
    });
    const { handler } = await import('../../../lambdas/handlers/audit-root-credentials');
    // Act
    const result = await handler({ accountId: ACCOUNT_ID }, fakeContext);
    // Assess
    expect(result.posture.credentialsPresent).toBe(false);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRootCommand, { DurationSeconds: 200 });
    const sts = stsMock.call(0).thisValue as STSClient;
    expect(await sts.config.region()).toBe('eu-west-1');
    stsMock.restore();
    iamMock.restore();
  });
});
