/** `npm run sandbox -- --port 4566 --accounts 200 [--seed N]`: serve a sandbox organization until Ctrl-C. */
import { parseArgs } from 'node:util';
import { startSandbox } from './index';

const USAGE = `usage: npm run sandbox -- [--port 4566] [--accounts 25] [--seed 1] [--region us-east-1]
                          [--queue-urls aws|endpoint] [--throttle 0.05] [--latency-ms 20]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      accounts: { type: 'string', default: '25' },
      seed: { type: 'string', default: '1' },
      region: { type: 'string', default: 'us-east-1' },
      'queue-urls': { type: 'string', default: 'aws' },
      throttle: { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const queueUrls = values['queue-urls'] === 'endpoint' ? 'endpoint' : 'aws';
  const sandbox = await startSandbox({
    port: Number(values.port),
    region: values.region,
    organization: { generate: { accounts: Number(values.accounts), seed: Number(values.seed) } },
    sqsQueueUrls: queueUrls,
    ...(values.throttle ? { faults: { throttle: Number(values.throttle), seed: Number(values.seed) } } : {}),
    ...(values['latency-ms']
      ? { latency: { medianMs: Number(values['latency-ms']), p99Ms: Number(values['latency-ms']) * 5 } }
      : {}),
  });
  const { accessKeyId, secretAccessKey } = sandbox.managementCredentials;
  const accounts = sandbox.state.accounts();
  console.log(`Rootkeeper sandbox organization listening on ${sandbox.endpoint}`);
  console.log(`  organization       ${sandbox.state.organization().id} (${accounts.length} accounts)`);
  console.log(`  management account ${sandbox.managementAccountId}`);
  console.log(`  access key id      ${accessKeyId}`);
  console.log(`  secret access key  ${secretAccessKey}`);
  console.log(
    `  queue URLs         ${queueUrls === 'aws' ? 'AWS-shaped (set endpoint, or useQueueUrlAsEndpoint: false)' : 'on the sandbox'}`,
  );
  console.log('\nPaste into a shell to point an AWS client at it:\n');
  console.log(`export AWS_ENDPOINT_URL=${sandbox.endpoint}`);
  console.log(`export AWS_ACCESS_KEY_ID=${accessKeyId}`);
  console.log(`export AWS_SECRET_ACCESS_KEY=${secretAccessKey}`);
  console.log(`export AWS_REGION=${sandbox.region}`);
  console.log(`export AWS_DEFAULT_REGION=${sandbox.region}`);
  console.log('\nCtrl-C to stop.');
  const stop = (): void => {
    const summary = sandbox.metrics.summary();
    console.log(
      `\n${summary.total} calls served (${summary.throttled} throttled, ${summary.faults} faults).`,
    );
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
