/**
 * `npm run conformance`: starts sandboxes (the test organization with a delegated administrator,
 * and a generated one with the features off) and drives them with foreign clients, boto3 and the
 * AWS CLI v1 (foreign_clients.py). Checks whose client is absent are reported as skipped by name.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Sandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import { CLEAN, INVITED, LOCKED_BUCKET, SUSPENDED, VIRTUAL_MFA, fixture } from '../sandbox/helpers';

const OFF_ACCOUNTS = 45;

function world(sandbox: Sandbox) {
  return {
    endpoint: sandbox.endpoint,
    adminUrl: sandbox.adminUrl,
    region: sandbox.region,
    partition: sandbox.state.organization().partition,
    managementAccountId: sandbox.managementAccountId,
    management: sandbox.managementCredentials,
  };
}

async function main(): Promise<number> {
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (python.status !== 0) {
    console.log('conformance: python3 is absent, the whole foreign-client suite is skipped');
    console.log('conformance: 0 passed, 0 failed, 1 skipped');
    return 0;
  }
  const main = await startSandbox({
    organization: fixture({ delegatedAdministrator: { accountId: CLEAN } }),
  });
  const off = await startSandbox({
    organization: { generate: { accounts: OFF_ACCOUNTS, seed: 5, featuresEnabled: false } },
  });
  try {
    const config = {
      main: {
        ...world(main),
        invited: INVITED,
        clean: CLEAN,
        suspended: SUSPENDED,
        lockedBucket: LOCKED_BUCKET,
        cleanBucket: 'clean-bucket',
        queueName: 'invited-queue',
        virtualMfa: VIRTUAL_MFA,
        delegatedAdministrator: main.delegatedAdministratorCredentials,
      },
      featuresOff: {
        ...world(off),
        invited: off.state.accounts().find((a) => a.status === 'ACTIVE' && a.id !== off.managementAccountId)
          ?.id,
        accountCount: off.state.accounts().length,
      },
    };
    const child = spawn('python3', [join(__dirname, 'foreign_clients.py')], {
      env: { ...process.env, CONFORMANCE_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await Promise.all([main.close(), off.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
