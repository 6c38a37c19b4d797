/**
 * The sandbox process's main (own-process.ts forks it): starts the sandbox
 * the parent describes, says where it listens, and ends when told to or
 * when the parent goes away.
 */
import { startSandbox, type Sandbox, type SandboxConnection } from './index';
import type { SandboxProcessCommand, SandboxProcessMessage } from './own-process';

const send = (message: SandboxProcessMessage): void => {
  process.send?.(message);
};

let sandbox: Sandbox | undefined;

/** The sandbox's plain data: what crosses to the parent. */
function connectionOf(started: Sandbox): Omit<SandboxConnection, 'close'> {
  return {
    endpoint: started.endpoint,
    port: started.port,
    region: started.region,
    managementAccountId: started.managementAccountId,
    managementCredentials: started.managementCredentials,
    adminUrl: started.adminUrl,
    ...(started.delegatedAdministratorAccountId === undefined
      ? {}
      : { delegatedAdministratorAccountId: started.delegatedAdministratorAccountId }),
    ...(started.delegatedAdministratorCredentials === undefined
      ? {}
      : { delegatedAdministratorCredentials: started.delegatedAdministratorCredentials }),
  };
}

async function stop(): Promise<void> {
  await sandbox?.close().catch(() => undefined);
  process.exit(0);
}

process.on('message', (command: SandboxProcessCommand) => {
  if (command.type === 'close') {
    void stop();
    return;
  }
  startSandbox(command.options)
    .then((started) => {
      sandbox = started;
      send({ type: 'ready', connection: connectionOf(started) });
    })
    .catch((error: unknown) => {
      send({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      process.exit(1);
    });
});
// The parent died or let go: nothing else would stop this process.
process.on('disconnect', () => void stop());
