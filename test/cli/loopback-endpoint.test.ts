import { CliContext } from '../../cli/context';
import { isLoopbackUrl } from '../../lambdas/root-access/loopback';
import { Capture } from './support/capture';

/**
 * The command line accepts plain-HTTP loopback queue URLs only when it talks
 * to a loopback endpoint (the local stack). Which endpoint is loopback is the
 * functions' rule (lambdas/root-access/loopback.ts), not one of its own.
 */
function contextWith(env: NodeJS.ProcessEnv): CliContext {
  return new CliContext(
    { stackName: 'Rootkeeper', local: false, output: 'human' },
    {
      env,
      cwd: process.cwd(),
      streams: { stdout: new Capture(false), stderr: new Capture(false) },
      stdinIsTTY: false,
      now: () => new Date('2026-11-24T12:00:00.000Z'),
    },
  );
}

describe('the CLI and the functions agree on which endpoint is loopback', () => {
  it.each([
    ['http://127.0.0.1:4566', true],
    ['http://localhost:4566/', true],
    ['http://[::1]:4566', true],
    // A host name is case-insensitive: the functions' rule (URL parsing) says loopback.
    ['http://LOCALHOST:4566', true],
    ['http://localhost.example.com:4566', false],
    ['http://127.0.0.1.nip.io', false],
    ['https://sqs.us-east-1.amazonaws.com', false],
    ['not a url', false],
  ])('AWS_ENDPOINT_URL=%s is loopback: %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
    expect(contextWith({ AWS_ENDPOINT_URL: url }).loopback).toBe(loopback);
    expect(contextWith({ AWS_ENDPOINT_URL_SQS: url }).loopback).toBe(loopback);
  });

  it('no endpoint at all is AWS, not loopback', () => {
    expect(contextWith({}).loopback).toBe(false);
  });
});
