/** `npm run sandbox -- --port 4566 --accounts 200 [--seed N]`: serve a sandbox organization until Ctrl-C. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { GenerateOptions, OrganizationFixture } from './index';
import { startSandbox } from './index';

const USAGE = `usage: npm run sandbox -- [--port 4566] [--accounts 25] [--seed 1] [--region us-east-1]
                          [--queue-urls aws|endpoint] [--throttle 0.05] [--latency-ms 20]
                          [--features on|off] [--trusted-access on|off] [--delegated-admin]
                          [--suspended N] [--invited N] [--fixture organization.json]`;

const onOff = (value: string | undefined, flag: string): boolean | undefined => {
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new Error(`${flag} must be on or off, not ${value}`);
  return value === 'on';
};

const count = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, not ${value}`);
  return n;
};

/** The organization the flags describe: a declarative fixture file, or a seeded generated one. */
function organizationOf(values: Record<string, string | boolean | undefined>) {
  const str = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const fixturePath = str('fixture');
  if (fixturePath) return JSON.parse(readFileSync(fixturePath, 'utf8')) as OrganizationFixture;
  const features = onOff(str('features'), '--features');
  const trustedAccess = onOff(str('trusted-access'), '--trusted-access');
  const suspendedAccounts = count(str('suspended'), '--suspended');
  const invitedAccounts = count(str('invited'), '--invited');
  const generate: GenerateOptions = {
    accounts: count(str('accounts'), '--accounts') ?? 25,
    seed: Number(str('seed') ?? '1'),
    ...(features === undefined ? {} : { featuresEnabled: features }),
    ...(trustedAccess === undefined ? {} : { trustedAccess }),
    ...(values['delegated-admin'] ? { delegatedAdministrator: true } : {}),
    ...(suspendedAccounts === undefined ? {} : { suspendedAccounts }),
    ...(invitedAccounts === undefined ? {} : { invitedAccounts }),
  };
  return { generate };
}

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
      features: { type: 'string' },
      'trusted-access': { type: 'string' },
      'delegated-admin': { type: 'boolean' },
      suspended: { type: 'string' },
      invited: { type: 'string' },
      fixture: { type: 'string' },
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
    organization: organizationOf(values),
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
  const org = sandbox.state.organization();
  const suspended = accounts.filter((a) => a.status === 'SUSPENDED').length;
  const invited = accounts.filter((a) => a.joinedMethod === 'INVITED').length;
  console.log(`  management account ${sandbox.managementAccountId}`);
  console.log(
    `  features           RootCredentialsManagement ${org.features.rootCredentialsManagement ? 'on' : 'off'}, ` +
      `RootSessions ${org.features.rootSessions ? 'on' : 'off'}; trusted access for IAM ` +
      `${org.trustedAccess.includes('iam.amazonaws.com') ? 'on' : 'off'}`,
  );
  console.log(`  accounts           ${suspended} suspended, ${invited} joined by invitation`);
  const delegated = sandbox.delegatedAdministratorCredentials;
  if (delegated) {
    console.log(`  delegated admin    ${org.delegatedAdministrators.join(', ')}`);
    console.log(`    access key id    ${delegated.accessKeyId}`);
    console.log(`    secret key       ${delegated.secretAccessKey}`);
  }
  console.log(`  admin API          ${sandbox.adminUrl} (see sandbox/README.md)`);
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
